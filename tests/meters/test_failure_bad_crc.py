import pytest

from meters.errors import BadCrc, MeterTimeout
from meters.reader import device_read
from meters.simulators import Bus, Pzem004tSimulator


@pytest.mark.parametrize("transport", ["rtu", "pty"])
def test_a_broken_crc_is_reported_as_such_not_as_a_timeout(transport, site, bus_server, device):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=4)])
    bus.fault_set(slave_id=4, fault="bad_crc")
    server = bus_server(bus, transport)

    with pytest.raises(BadCrc, match=r"^bad CRC in the answer to slave 4 "):
        device_read(**device(server, driver="pzem004t", slave_id=4, timeout=0.2))


def test_a_modbus_tcp_gateway_drops_a_garbled_answer_so_the_client_times_out(site, bus_server, device):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=4)])
    bus.fault_set(slave_id=4, fault="bad_crc")
    server = bus_server(bus, "socket")

    with pytest.raises(MeterTimeout):
        device_read(**device(server, driver="pzem004t", slave_id=4, timeout=0.2))
