import pytest

from meters.config import ConfigError, device_config_clean

EW11 = {"driver": "sdm630", "host": "10.0.0.109", "port": 8899, "framer": "rtu"}


def test_a_timeout_and_retries_that_could_hold_the_bus_past_15_s_are_refused_naming_the_timeout():
    with pytest.raises(ConfigError) as refused:
        device_config_clean(device_type="modbus_tcp", config=EW11 | {"timeout": 6.0, "retries": 1})

    assert set(refused.value.errors) == {"timeout"}
    assert "18 s" in refused.value.errors["timeout"]


def test_the_longest_read_that_fits_is_accepted():
    config = device_config_clean(device_type="modbus_tcp", config=EW11 | {"timeout": 5.0, "retries": 1})

    assert (config["timeout"], config["retries"]) == (5.0, 1)
