from meters.errors import BadCrc, MalformedResponse, WrongSlave
from meters.transports.frames import answer_problem, exception_name, rtu_crc, rtu_frame


def test_it_computes_the_modbus_crc_low_byte_first():
    # The PZEM-004T read-all request, a frame found in many PZEM libraries: 01 04 00 00 00 0A 70 0D.
    assert rtu_crc(bytes.fromhex("01 04 00 00 00 0A")) == bytes.fromhex("70 0D")


def test_it_builds_a_frame_with_address_pdu_and_crc():
    frame = rtu_frame(slave_id=1, pdu=bytes.fromhex("04 00 00 00 0A"))
    assert frame == bytes.fromhex("01 04 00 00 00 0A 70 0D")


def test_it_names_modbus_exception_codes():
    assert exception_name(2) == "illegal data address"
    assert exception_name(11) == "gateway target device failed to respond"


def test_a_frame_with_a_broken_crc_is_a_bad_crc():
    frame = rtu_frame(slave_id=3, pdu=bytes.fromhex("04 02 12 34"))
    problem = answer_problem(answer=frame[:-1] + b"\x00", framer="rtu", slave_id=3)
    assert isinstance(problem, BadCrc)


def test_a_sound_frame_from_another_address_is_a_wrong_slave():
    frame = rtu_frame(slave_id=5, pdu=bytes.fromhex("04 02 12 34"))
    problem = answer_problem(answer=frame, framer="rtu", slave_id=3)
    assert isinstance(problem, WrongSlave)
    assert str(problem) == "slave 5 answered a request for slave 3"


def test_a_frame_shorter_than_its_byte_count_says_is_a_short_answer():
    frame = rtu_frame(slave_id=3, pdu=bytes.fromhex("04 04 12 34 56 78"))
    problem = answer_problem(answer=frame[:-3], framer="rtu", slave_id=3)
    assert isinstance(problem, MalformedResponse)
    assert str(problem) == "short answer from slave 3: 6 of 9 bytes"


def test_an_mbap_answer_from_another_unit_is_a_wrong_slave():
    answer = bytes.fromhex("00 07 00 00 00 05 09 04 02 12 34")
    problem = answer_problem(answer=answer, framer="socket", slave_id=3, transaction_id=7)
    assert isinstance(problem, WrongSlave)


def test_an_mbap_answer_shorter_than_its_length_field_is_a_short_answer():
    answer = bytes.fromhex("00 07 00 00 00 07 03 04 04 12 34")
    problem = answer_problem(answer=answer, framer="socket", slave_id=3, transaction_id=7)
    assert str(problem) == "short answer from slave 3: 11 of 13 bytes"


def test_an_mbap_answer_to_another_transaction_is_malformed():
    answer = bytes.fromhex("00 08 00 00 00 05 03 04 02 12 34")
    problem = answer_problem(answer=answer, framer="socket", slave_id=3, transaction_id=7)
    assert isinstance(problem, MalformedResponse)
    assert "transaction 8" in str(problem)
