import pytest

from meters.errors import BadCrc
from meters.reader import device_read
from meters.simulators import Bus, Pzem004tSimulator, Sdm630Simulator


def test_each_slave_on_one_port_answers_with_its_own_values(site, bus_server, device):
    meters = [Sdm630Simulator(site=site, slave_id=1), Sdm630Simulator(site=site, slave_id=2)]
    modules = [
        Pzem004tSimulator(site=site, slave_id=3, energy_wh=100),
        Pzem004tSimulator(site=site, slave_id=4),
    ]
    server = bus_server(Bus(slaves=[*meters, *modules]), "rtu")

    for meter in meters:
        reading = device_read(**device(server, slave_id=meter.slave_id))
        assert reading["power"] == pytest.approx(meter.values()["power"], rel=1e-6)
    for module in modules:
        assert device_read(**device(server, driver="pzem004t", slave_id=module.address)) == module.values()
    assert meters[0].values()["power"] != meters[1].values()["power"]


def test_two_modules_answering_the_general_address_collide(site, bus_server, device):
    modules = [Pzem004tSimulator(site=site, slave_id=1), Pzem004tSimulator(site=site, slave_id=2)]
    server = bus_server(Bus(slaves=modules), "rtu")

    with pytest.raises(BadCrc):
        device_read(**device(server, driver="pzem004t", slave_id=0xF8, timeout=0.2))
