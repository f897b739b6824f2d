import pytest

from meters.drivers.sdm630 import sdm630_read
from meters.errors import ModbusExceptionResponse
from meters.simulators import Bus, Sdm630Simulator
from meters.transports import modbus_link_open


class Sdm630WithoutHarmonics(Sdm630Simulator):
    """A meter whose input registers end before the line-to-line voltages and THD."""

    LAST_INPUT_REGISTER = 0x0057


def test_one_failed_block_fails_the_whole_reading(site, bus_server, device):
    bus = Bus(slaves=[Sdm630WithoutHarmonics(site=site, slave_id=1)])
    server = bus_server(bus, "rtu")

    with modbus_link_open(**device(server)) as link:
        with pytest.raises(ModbusExceptionResponse, match=r"illegal data address"):
            sdm630_read(link=link, slave_id=1)

    # The first two blocks were answered; their values went nowhere.
    assert bus.transactions == 3
