import socket

from meters.simulators import Bus, Sdm630Simulator, TcpSimulator
from meters.simulators.wire import mbap_requests_split, rtu_requests_split
from meters.transports.frames import rtu_frame


def test_rtu_requests_of_known_functions_end_at_their_size():
    read = rtu_frame(slave_id=1, pdu=bytes.fromhex("04 00 00 00 0A"))
    reset = rtu_frame(slave_id=2, pdu=bytes.fromhex("42"))
    assert rtu_requests_split(read + reset + read[:3], quiet=False) == ([read, reset], read[:3])


def test_an_rtu_request_of_unknown_size_ends_when_the_line_goes_quiet():
    frame = rtu_frame(slave_id=1, pdu=bytes.fromhex("2B 0E 01 00"))
    assert rtu_requests_split(frame, quiet=False) == ([], frame)
    assert rtu_requests_split(frame, quiet=True) == ([frame], b"")


def test_mbap_requests_end_where_their_length_field_says():
    request = bytes.fromhex("00 01 00 00 00 06 01 04 00 00 00 02")
    assert mbap_requests_split(request + request[:4]) == ([request], request[:4])


def test_an_unknown_function_gets_exception_1_over_rtu(site, serve):
    server = serve(TcpSimulator(bus=Bus(slaves=[Sdm630Simulator(site=site, slave_id=1)]), framer="rtu"))

    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as connection:
        connection.sendall(rtu_frame(slave_id=1, pdu=bytes.fromhex("2B 0E 01 00")))
        answer = connection.recv(64)

    assert answer == rtu_frame(slave_id=1, pdu=bytes.fromhex("AB 01"))


def test_a_request_with_a_bad_crc_is_ignored_like_on_a_real_bus(site, serve):
    bus = Bus(slaves=[Sdm630Simulator(site=site, slave_id=1)])
    server = serve(TcpSimulator(bus=bus, framer="rtu"))
    request = rtu_frame(slave_id=1, pdu=bytes.fromhex("04 00 00 00 02"))

    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as connection:
        connection.sendall(request[:-1] + bytes([request[-1] ^ 0xFF]))
        connection.sendall(request)
        answer = connection.recv(64)

    assert answer[:3] == bytes.fromhex("01 04 04") and bus.transactions == 1
