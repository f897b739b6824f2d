import pytest

from meters.config import ConfigError, device_config_clean

SDM630_OVER_EW11 = {"host": "10.0.0.109", "port": 8899, "slave_id": 1, "driver": "sdm630", "timeout": 3.0}
PZEM_ON_COM3 = {"port": "COM3", "slave_id": 1, "baudrate": 9600, "driver": "pzem004t", "timeout": 0.5}


def test_the_original_readme_configs_are_accepted_with_defaults_filled():
    tcp = device_config_clean(device_type="modbus_tcp", config=SDM630_OVER_EW11)
    serial = device_config_clean(device_type="modbus", config=PZEM_ON_COM3)

    assert tcp["framer"] == "socket" and tcp["poll_interval"] == 30 and tcp["port"] == 8899
    assert serial["parity"] == "N" and serial["stopbits"] == 1 and serial["timeout"] == 0.5


def test_an_rtu_framer_defaults_to_the_ew11_transparent_port():
    config = device_config_clean(
        device_type="modbus_tcp", config={"host": "gw", "driver": "sdm630", "framer": "rtu"}
    )

    assert config["port"] == 8899
    assert config["gap"] > 0


@pytest.mark.parametrize(
    ("device_type", "config", "field"),
    [
        ("modbus_tcp", {**SDM630_OVER_EW11, "slave_id": 0}, "slave_id"),
        ("modbus_tcp", {**SDM630_OVER_EW11, "slave_id": 248}, "slave_id"),
        ("modbus_tcp", {**SDM630_OVER_EW11, "driver": "sdm120"}, "driver"),
        ("modbus_tcp", {**SDM630_OVER_EW11, "framer": "ascii"}, "framer"),
        ("modbus_tcp", {**SDM630_OVER_EW11, "port": "8899"}, "port"),
        ("modbus_tcp", {**SDM630_OVER_EW11, "timeout": True}, "timeout"),
        ("modbus_tcp", {"port": 502, "driver": "sdm630"}, "host"),
        ("modbus_tcp", {**SDM630_OVER_EW11, "slaveid": 2}, "slaveid"),
        ("modbus", {**PZEM_ON_COM3, "baudrate": 9601}, "baudrate"),
        ("modbus", {**PZEM_ON_COM3, "parity": "X"}, "parity"),
        ("modbus", {"driver": "pzem004t"}, "port"),
        ("tuya", {"device_id": "abc", "address": "10.0.0.5"}, "local_key"),
        ("tuya", {"device_id": "abc", "mode": "cloud", "api_key": "k", "api_secret": "s"}, "api_region"),
    ],
)
def test_a_config_that_does_not_fit_its_type_is_refused_naming_the_field(device_type, config, field):
    with pytest.raises(ConfigError) as error:
        device_config_clean(device_type=device_type, config=config)

    assert field in error.value.errors


def test_the_pzem_general_address_is_accepted_only_for_the_pzem():
    device_config_clean(device_type="modbus", config={**PZEM_ON_COM3, "slave_id": 0xF8})

    with pytest.raises(ConfigError) as error:
        device_config_clean(device_type="modbus_tcp", config={**SDM630_OVER_EW11, "slave_id": 0xF8})
    assert "slave_id" in error.value.errors


def test_a_tuya_version_written_as_a_number_is_kept_as_text():
    config = device_config_clean(
        device_type="tuya",
        config={"device_id": "abc", "address": "10.0.0.5", "local_key": "k" * 16, "version": 3.4},
    )

    assert config["version"] == "3.4"
