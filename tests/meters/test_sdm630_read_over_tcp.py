import pytest

from meters.reader import device_read
from meters.simulators import Bus, Sdm630Simulator, TcpSimulator


@pytest.mark.parametrize("framer", ["socket", "rtu"])
def test_it_reads_every_catalog_value_the_simulated_meter_holds(framer, site, serve, device):
    meter = Sdm630Simulator(site=site, slave_id=1)
    server = serve(TcpSimulator(bus=Bus(slaves=[meter]), framer=framer))
    reading = device_read(**device(server))

    truth = meter.values()
    assert set(reading) == set(truth)
    for name, value in truth.items():
        assert reading[name] == pytest.approx(value, rel=1e-6, abs=1e-6), name


@pytest.mark.parametrize("framer", ["socket", "rtu"])
def test_a_full_read_takes_four_requests(framer, site, serve, device):
    bus = Bus(slaves=[Sdm630Simulator(site=site, slave_id=1)])
    server = serve(TcpSimulator(bus=bus, framer=framer))

    device_read(**device(server))

    assert bus.transactions == 4
