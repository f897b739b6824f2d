import pytest

from meters.drivers.pzem004t import (
    pzem004t_address_set,
    pzem004t_alarm_threshold_set,
    pzem004t_energy_reset,
    pzem004t_read,
    pzem004t_settings_read,
)
from meters.errors import MeterTimeout
from meters.simulators import Bus, Pzem004tSimulator
from meters.transports import modbus_link_open


@pytest.fixture
def module(site) -> Pzem004tSimulator:
    return Pzem004tSimulator(site=site, slave_id=1, energy_wh=5432100)


@pytest.mark.parametrize("transport", ["socket", "rtu", "pty"])
def test_energy_reset_zeroes_the_counter(transport, module, bus_server, device):
    server = bus_server(Bus(slaves=[module]), transport)

    with modbus_link_open(**device(server, driver="pzem004t")) as link:
        assert pzem004t_read(link=link, slave_id=1)["energy_import"] == 5432.1
        pzem004t_energy_reset(link=link, slave_id=1)
        assert pzem004t_read(link=link, slave_id=1)["energy_import"] == 0.0


def test_the_alarm_threshold_drives_the_alarm_status(module, bus_server, device, clock):
    server = bus_server(Bus(slaves=[module]), "rtu")
    power = module.values()["power"]

    with modbus_link_open(**device(server, driver="pzem004t")) as link:
        pzem004t_alarm_threshold_set(link=link, slave_id=1, watts=int(power) - 1)
        assert pzem004t_settings_read(link=link, slave_id=1)["alarm_threshold"] == int(power) - 1
        assert pzem004t_read(link=link, slave_id=1)["alarm"] == 1.0
        pzem004t_alarm_threshold_set(link=link, slave_id=1, watts=25000)
        assert pzem004t_read(link=link, slave_id=1)["alarm"] == 0.0


def test_a_new_address_moves_the_module_to_it(module, bus_server, device):
    server = bus_server(Bus(slaves=[module]), "rtu")

    with modbus_link_open(**device(server, driver="pzem004t", timeout=0.2)) as link:
        pzem004t_address_set(link=link, slave_id=1, new_slave_id=17)
        assert pzem004t_settings_read(link=link, slave_id=17)["slave_id"] == 17
        with pytest.raises(MeterTimeout):
            pzem004t_read(link=link, slave_id=1)


def test_a_lone_module_answers_the_general_address_whatever_its_own(module, bus_server, device):
    server = bus_server(Bus(slaves=[module]), "rtu")

    with modbus_link_open(**device(server, driver="pzem004t")) as link:
        assert pzem004t_settings_read(link=link, slave_id=0xF8) == {"alarm_threshold": 2300, "slave_id": 1}


def test_the_driver_refuses_an_address_outside_1_to_247(module, bus_server, device):
    server = bus_server(Bus(slaves=[module]), "rtu")

    with modbus_link_open(**device(server, driver="pzem004t")) as link:
        with pytest.raises(ValueError, match=r"between 1 and 247"):
            pzem004t_address_set(link=link, slave_id=1, new_slave_id=248)
    assert module.address == 1
