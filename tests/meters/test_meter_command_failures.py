"""Every failure of `meter read` becomes a CommandError of one line that names the cause."""

import pytest
from django.core.management import CommandError, call_command

from meters.simulators import Bus, Pzem004tSimulator, TcpSimulator


@pytest.mark.parametrize(
    ("fault", "cause"),
    [
        ("silent", r"no answer from slave 1 on 127\.0\.0\.1:\d+ within 0\.2 s"),
        ("bad_crc", r"bad CRC in the answer to slave 1 \(([0-9a-f]{2} ){8}\.\.\. 25 bytes\)"),
        ("wrong_slave", r"slave 2 answered a request for slave 1"),
        ("short", r"short answer from slave 1: 22 of 25 bytes"),
    ],
)
def test_each_bus_failure_is_one_line_naming_its_cause(fault, cause, site, serve):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=1)])
    bus.fault_set(slave_id=1, fault=fault)
    server = serve(TcpSimulator(bus=bus, framer="rtu"))

    with pytest.raises(CommandError, match=rf"^{cause}$"):
        call_command(
            "meter",
            "read",
            "--driver",
            "pzem004t",
            "--host",
            "127.0.0.1",
            "--port",
            str(server.port),
            "--framer",
            "rtu",
            "--timeout",
            "0.2",
            "--retries",
            "0",
            "--json",
        )


def test_a_bad_option_value_is_one_line_naming_the_field():
    with pytest.raises(CommandError, match=r"^timeout: must be between 0\.05 and 60$"):
        call_command("meter", "read", "--driver", "pzem004t", "--host", "127.0.0.1", "--timeout", "0")
