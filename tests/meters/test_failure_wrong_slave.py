import pytest

from meters.errors import WrongSlave
from meters.reader import device_read
from meters.simulators import Bus, Pzem004tSimulator


@pytest.mark.parametrize(
    ("transport", "message"),
    [
        ("rtu", "slave 3 answered a request for slave 2"),
        ("pty", "slave 3 answered a request for slave 2"),
        ("socket", "unit 3 answered a request for unit 2"),
    ],
)
def test_an_answer_from_another_slave_is_reported_with_both_ids(transport, message, site, bus_server, device):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=2)])
    bus.fault_set(slave_id=2, fault="wrong_slave")
    server = bus_server(bus, transport)

    with pytest.raises(WrongSlave, match=rf"^{message}$"):
        device_read(**device(server, driver="pzem004t", slave_id=2, timeout=0.2))
