import time

from meters.simulators import Bus, Pzem004tSimulator
from meters.transports import modbus_link_open


def _two_reads_seconds(target: dict) -> float:
    with modbus_link_open(**target) as link:
        link.read_input_registers(slave_id=1, address=0, count=10)
        started = time.monotonic()
        link.read_input_registers(slave_id=1, address=0, count=10)
        return time.monotonic() - started


def test_the_link_leaves_the_bus_idle_for_the_gap_between_transactions(site, bus_server, device):
    server = bus_server(Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)]), "rtu")

    assert _two_reads_seconds(device(server, driver="pzem004t", gap=0.0)) < 0.1
    assert _two_reads_seconds(device(server, driver="pzem004t", gap=0.2)) >= 0.2
