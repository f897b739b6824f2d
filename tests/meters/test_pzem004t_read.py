import pytest

from meters.reader import device_read
from meters.simulators import Bus, PtySimulator, Pzem004tSimulator, TcpSimulator


@pytest.mark.parametrize("framer", ["socket", "rtu"])
def test_it_reads_the_module_over_tcp_at_its_resolution(framer, site, serve, device):
    module = Pzem004tSimulator(site=site, slave_id=1, energy_wh=1234567)
    server = serve(TcpSimulator(bus=Bus(slaves=[module]), framer=framer))

    reading = device_read(**device(server, driver="pzem004t"))

    assert reading == module.values()
    assert reading["energy_import"] == 1234.567
    assert reading["power"] == reading["power_l1"] > 0


def test_it_reads_the_module_on_a_pseudo_terminal(site, serve, device):
    module = Pzem004tSimulator(site=site, slave_id=2)
    server = serve(PtySimulator(bus=Bus(slaves=[module])))

    assert device_read(**device(server, driver="pzem004t", slave_id=2)) == module.values()


def test_it_reads_through_a_pyserial_socket_url(site, serve):
    module = Pzem004tSimulator(site=site, slave_id=1)
    server = serve(TcpSimulator(bus=Bus(slaves=[module]), framer="rtu"))
    config = {
        "driver": "pzem004t",
        "port": f"socket://127.0.0.1:{server.port}",
        "slave_id": 1,
        "baudrate": 9600,
        "parity": "N",
        "stopbits": 1,
        "bytesize": 8,
        "timeout": 1.0,
        "retries": 0,
        "gap": 0.0,
    }

    assert device_read(device_type="modbus", config=config) == module.values()
