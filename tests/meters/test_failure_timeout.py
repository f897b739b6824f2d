import pytest

from meters.errors import MeterTimeout
from meters.reader import device_read
from meters.simulators import Bus, Pzem004tSimulator


@pytest.mark.parametrize("transport", ["socket", "rtu", "pty"])
def test_a_slave_that_never_answers_is_a_timeout(transport, site, bus_server, device):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=2)])
    bus.fault_set(slave_id=2, fault="silent")
    server = bus_server(bus, transport)

    with pytest.raises(MeterTimeout, match=r"^no answer from slave 2 on \S+ within 0.2 s$"):
        device_read(**device(server, driver="pzem004t", slave_id=2, timeout=0.2))


def test_an_absent_slave_is_a_timeout(site, bus_server, device):
    server = bus_server(Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)]), "rtu")

    with pytest.raises(MeterTimeout, match=r"no answer from slave 9"):
        device_read(**device(server, driver="pzem004t", slave_id=9, timeout=0.2))


def test_each_retry_asks_again_before_giving_up(site, bus_server, device):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=2)])
    bus.fault_set(slave_id=2, fault="silent")
    server = bus_server(bus, "rtu")

    with pytest.raises(MeterTimeout, match=r"within 0.1 s \(3 tries\)$"):
        device_read(**device(server, driver="pzem004t", slave_id=2, timeout=0.1, retries=2))
    assert bus.transactions == 3
