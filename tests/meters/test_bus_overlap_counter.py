import threading

from meters.reader import device_read
from meters.simulators import Bus, Pzem004tSimulator


def _bus(site) -> Bus:
    modules = [Pzem004tSimulator(site=site, slave_id=1), Pzem004tSimulator(site=site, slave_id=2)]
    return Bus(slaves=modules, latency=0.3)


def test_requests_that_take_turns_never_overlap(site, bus_server, device):
    bus = _bus(site)
    server = bus_server(bus, "rtu")

    for slave_id in (1, 2, 1, 2):
        device_read(**device(server, driver="pzem004t", slave_id=slave_id))

    assert (bus.transactions, bus.overlaps) == (4, 0)


def test_two_clients_on_one_gateway_at_once_are_counted_as_overlapping(site, bus_server, device):
    bus = _bus(site)
    server = bus_server(bus, "rtu")
    start = threading.Barrier(2)

    def poll(slave_id: int) -> None:
        start.wait()
        device_read(**device(server, driver="pzem004t", slave_id=slave_id, timeout=3.0))

    pollers = [threading.Thread(target=poll, args=(slave_id,)) for slave_id in (1, 2)]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()

    assert (bus.transactions, bus.overlaps) == (2, 1)
