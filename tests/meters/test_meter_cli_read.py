import json

import pytest

from meters.config import ConfigError
from meters.simulators import Bus, Sdm630Simulator, TcpSimulator


@pytest.fixture
def meter_server(site, serve) -> TcpSimulator:
    return serve(TcpSimulator(bus=Bus(slaves=[Sdm630Simulator(site=site, slave_id=1)]), framer="rtu"))


def test_read_json_prints_one_object_of_catalog_values(meter, meter_server):
    output = meter(
        "read",
        "--driver",
        "sdm630",
        "--host",
        "127.0.0.1",
        "--port",
        str(meter_server.port),
        "--framer",
        "rtu",
        "--json",
    )

    reading = json.loads(output)
    truth = meter_server.bus.slaves[0].values()
    assert output.count("\n") == 1
    assert reading == pytest.approx(truth, rel=1e-6, abs=1e-6)


def test_read_without_json_prints_a_table_with_units(meter, meter_server):
    output = meter(
        "read",
        "--driver",
        "sdm630",
        "--host",
        "127.0.0.1",
        "--port",
        str(meter_server.port),
        "--framer",
        "rtu",
    )

    assert "energy_import" in output and "kWh" in output and "voltage_l3_l1" in output


def test_read_without_a_host_or_serial_port_names_the_missing_field(meter):
    with pytest.raises(ConfigError, match=r"^host: is required$"):
        meter("read", "--driver", "sdm630")
