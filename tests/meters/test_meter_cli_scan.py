import pytest

from meters.errors import MeterTimeout
from meters.simulators import Bus, Pzem004tSimulator, TcpSimulator


def test_scan_lists_the_ids_that_answer_and_what_garbled_ones_said(site, serve, meter):
    bus = Bus(slaves=[Pzem004tSimulator(site=site, slave_id=slave_id) for slave_id in (1, 3, 5)])
    bus.fault_set(slave_id=5, fault="bad_crc")
    server = serve(TcpSimulator(bus=bus, framer="rtu"))

    output = meter(
        "scan",
        "--driver",
        "pzem004t",
        "--host",
        "127.0.0.1",
        "--port",
        str(server.port),
        "--framer",
        "rtu",
        "--timeout",
        "0.1",
        "--last",
        "6",
    )

    lines = output.splitlines()
    assert lines[:2] == ["slave 1: pzem004t answers", "slave 3: pzem004t answers"]
    assert lines[2].startswith("slave 5: something answers: bad CRC in the answer to slave 5 (")
    assert lines[3:] == ["answering slave ids: 1, 3, 5"]
    assert bus.transactions == 6


def test_scan_of_a_silent_bus_fails(site, serve, meter):
    server = serve(TcpSimulator(bus=Bus(slaves=[]), framer="rtu"))

    with pytest.raises(MeterTimeout, match=r"no slave answered on 127\.0\.0\.1:\d+ between 1 and 3$"):
        meter(
            "scan",
            "--driver",
            "sdm630",
            "--host",
            "127.0.0.1",
            "--port",
            str(server.port),
            "--framer",
            "rtu",
            "--timeout",
            "0.05",
            "--last",
            "3",
        )
