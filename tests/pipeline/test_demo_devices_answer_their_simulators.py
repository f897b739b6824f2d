import pytest

from meters.config import device_config_clean
from meters.demo import DemoPorts, DemoSimulators, demo_devices
from meters.reader import device_read


@pytest.fixture(scope="module")
def simulators():
    with DemoSimulators(ports=DemoPorts(modbus_tcp=0, ew11=0, tuya=0)) as running:
        yield running


@pytest.mark.parametrize("index", range(4), ids=lambda i: f"device {i}")
def test_each_demo_device_reads_its_simulator(simulators, index):
    fields = demo_devices(ports=simulators.ports)[index]
    config = device_config_clean(device_type=fields["device_type"], config=fields["config"])

    reading = device_read(device_type=fields["device_type"], config=config)

    assert 100 < reading["voltage_l1"] < 140
    assert "power" in reading


def test_the_ew11_carries_two_meters_on_one_port(simulators):
    ew11 = [d for d in demo_devices(ports=simulators.ports) if d["config"].get("framer") == "rtu"]

    assert {d["config"]["driver"] for d in ew11} == {"sdm630", "pzem004t"}
    assert {d["config"]["port"] for d in ew11} == {simulators.ports.ew11}
    assert {d["config"]["slave_id"] for d in ew11} == {1, 2}
