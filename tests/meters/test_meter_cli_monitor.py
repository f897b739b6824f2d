import pytest

from meters.errors import MeterTimeout
from meters.simulators import Bus, Pzem004tSimulator, TcpSimulator


@pytest.fixture
def module_server(site, serve) -> TcpSimulator:
    return serve(TcpSimulator(bus=Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)]), framer="rtu"))


def _monitor(meter, server, *extra: str) -> str:
    return meter(
        "monitor",
        "--driver",
        "pzem004t",
        "--host",
        "127.0.0.1",
        "--port",
        str(server.port),
        "--framer",
        "rtu",
        "--timeout",
        "0.2",
        *extra,
    )


def test_once_shows_one_table_without_flags_on_a_healthy_127_v_circuit(meter, module_server):
    output = _monitor(meter, module_server, "--once")

    assert "voltage_l1" in output and "117 to 133" in output
    assert "OUT OF RANGE" not in output.split("voltage_l1")[1].splitlines()[0]
    assert module_server.bus.transactions == 1


def test_a_127_v_reading_is_flagged_against_a_220_v_nominal(meter, module_server):
    output = _monitor(meter, module_server, "--once", "--nominal-voltage", "220")

    voltage_row = next(line for line in output.splitlines() if "voltage_l1" in line)
    assert "202 to 231" in voltage_row and "OUT OF RANGE" in voltage_row


def test_count_takes_that_many_readings(meter, module_server):
    _monitor(meter, module_server, "--count", "3", "--interval", "0.05")

    assert module_server.bus.transactions == 3


def test_a_failed_last_reading_fails_the_command(meter, module_server):
    module_server.bus.fault_set(slave_id=1, fault="silent")

    with pytest.raises(MeterTimeout):
        _monitor(meter, module_server, "--once")
