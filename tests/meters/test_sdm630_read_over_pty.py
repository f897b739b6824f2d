import pytest

from meters.reader import device_read
from meters.simulators import Bus, PtySimulator, Sdm630Simulator


def test_it_reads_the_meter_over_a_serial_line(site, serve, device):
    meter = Sdm630Simulator(site=site, slave_id=7)
    server = serve(PtySimulator(bus=Bus(slaves=[meter])))
    target = device(server, slave_id=7)

    reading = device_read(**target)

    assert target["device_type"] == "modbus" and target["config"]["baudrate"] == 9600
    for name, value in meter.values().items():
        assert reading[name] == pytest.approx(value, rel=1e-6, abs=1e-6), name
