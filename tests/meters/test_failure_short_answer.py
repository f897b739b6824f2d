import pytest

from meters.errors import MalformedResponse
from meters.reader import device_read
from meters.simulators import Bus, Pzem004tSimulator


@pytest.mark.parametrize(
    ("transport", "message"),
    [
        ("rtu", "short answer from slave 1: 22 of 25 bytes"),
        ("pty", "short answer from slave 1: 22 of 25 bytes"),
        ("socket", "short answer from slave 1: 26 of 29 bytes"),
    ],
)
def test_an_answer_cut_short_is_malformed_and_says_how_short(transport, message, site, bus_server, device):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)])
    bus.fault_set(slave_id=1, fault="short")
    server = bus_server(bus, transport)

    with pytest.raises(MalformedResponse, match=rf"^{message}$"):
        device_read(**device(server, driver="pzem004t", timeout=0.2))
