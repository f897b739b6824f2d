import pytest

from meters.simulators import Bus, Pzem004tSimulator, TcpSimulator


@pytest.fixture
def module(site) -> Pzem004tSimulator:
    return Pzem004tSimulator(site=site, slave_id=1, energy_wh=42000)


@pytest.fixture
def pzem(meter, module, serve):
    server = serve(TcpSimulator(bus=Bus(slaves=[module]), framer="rtu"))

    def run(*args: str) -> str:
        return meter("pzem", *args, "--host", "127.0.0.1", "--port", str(server.port), "--framer", "rtu")

    return run


def test_set_address_reaches_a_lone_module_through_the_general_address(pzem, module):
    assert pzem("set-address", "12") == "slave 248: now answers at address 12\n"
    assert module.address == 12


def test_set_alarm_reports_the_threshold_read_back(pzem, module):
    assert pzem("set-alarm", "1500", "--slave-id", "1") == "slave 1: power alarm threshold now 1500 W\n"
    assert module.alarm_threshold_w == 1500


def test_reset_energy_reports_the_zeroed_counter(pzem, module):
    assert pzem("reset-energy") == "slave 248: energy counter reset, now 0 kWh\n"
    assert module.values()["energy_import"] == 0.0


def test_an_address_outside_1_to_247_is_refused_before_anything_is_sent(pzem, module):
    with pytest.raises(SystemExit):
        pzem("set-address", "0xF8")
    assert module.address == 1
