import pytest

from meters.errors import ModbusExceptionResponse
from meters.reader import device_read
from meters.simulators import Bus, Pzem004tSimulator, Sdm630Simulator
from meters.transports import modbus_link_open


@pytest.mark.parametrize("transport", ["socket", "rtu", "pty"])
def test_an_unknown_register_is_exception_2_with_its_name(transport, site, bus_server, device):
    server = bus_server(Bus(slaves=[Sdm630Simulator(site=site, slave_id=3)]), transport)

    with modbus_link_open(**device(server, slave_id=3)) as link:
        with pytest.raises(ModbusExceptionResponse) as raised:
            link.read_input_registers(slave_id=3, address=0x0400, count=2)

    assert (raised.value.code, raised.value.name) == (2, "illegal data address")
    assert str(raised.value) == "Modbus exception 2 (illegal data address) from slave 3"


def test_reading_a_pzem_as_an_sdm630_fails_with_the_module_s_exception(site, bus_server, device):
    server = bus_server(Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)]), "rtu")

    with pytest.raises(ModbusExceptionResponse, match=r"^Modbus exception 2 "):
        device_read(**device(server, driver="sdm630"))
