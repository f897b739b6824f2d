"""Pure functions over raw Modbus frames: the CRC, and the true cause of an answer pymodbus dropped.

pymodbus's framers silently discard an RTU answer with a bad CRC, an answer from another slave and a
truncated answer, then wait for the next one until the timeout: the caller would only see a timeout. The
link records the bytes that did arrive and `answer_problem` names what was wrong with them.
"""

from pymodbus.framer.rtu import FramerRTU

from meters.errors import BadCrc, MalformedResponse, MeterError, WrongSlave

EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "slave device failure",
    5: "acknowledge",
    6: "slave device busy",
    7: "negative acknowledge",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target device failed to respond",
}
READ_REGISTERS = (0x03, 0x04)
WRITE_REGISTER = 0x06
MBAP_HEADER_SIZE = 7
# A peer that is not a meter (a web server, a database) may answer with its own data: errors show at
# most this many of its bytes, enough to recognise a frame, never enough to read a service through us.
ECHO_BYTES = 8


def rtu_crc(data: bytes) -> bytes:
    """The two CRC bytes that end an RTU frame (CRC-16/Modbus, low byte first on the wire)."""
    return FramerRTU.compute_CRC(data).to_bytes(2, "big")


def rtu_frame(*, slave_id: int, pdu: bytes) -> bytes:
    frame = bytes([slave_id]) + pdu
    return frame + rtu_crc(frame)


def exception_name(code: int) -> str:
    return EXCEPTION_NAMES.get(code, "unknown exception")


def bytes_shown(data: bytes) -> str:
    """The first ECHO_BYTES of what a peer sent, in hex, for an error message."""
    shown = data[:ECHO_BYTES].hex(" ")
    return f"{shown} ... {len(data)} bytes" if len(data) > ECHO_BYTES else shown


def rtu_answer_size(answer: bytes) -> int | None:
    """Size of the RTU answer frame that starts `answer`, from its function code; None if not knowable."""
    if len(answer) < 2:
        return None
    function_code = answer[1]
    if function_code & 0x80:
        return 5
    if function_code in READ_REGISTERS:
        return 5 + answer[2] if len(answer) > 2 else None
    if function_code == WRITE_REGISTER:
        return 8
    return None


def answer_problem(*, answer: bytes, framer: str, slave_id: int, transaction_id: int = 0) -> MeterError:
    """The failure an unaccepted `answer` to a request for `slave_id` stands for."""
    if framer == "rtu":
        return _rtu_problem(answer=answer, slave_id=slave_id)
    return _mbap_problem(answer=answer, slave_id=slave_id, transaction_id=transaction_id)


def _rtu_problem(*, answer: bytes, slave_id: int) -> MeterError:
    size = rtu_answer_size(answer) or len(answer)
    if len(answer) < max(size, 4):
        return MalformedResponse(f"short answer from slave {slave_id}: {len(answer)} of {max(size, 4)} bytes")
    frame = answer[:size]
    if rtu_crc(frame[:-2]) != frame[-2:]:
        return BadCrc(f"bad CRC in the answer to slave {slave_id} ({bytes_shown(frame)})")
    if frame[0] != slave_id:
        return WrongSlave(f"slave {frame[0]} answered a request for slave {slave_id}")
    return MalformedResponse(f"malformed answer from slave {slave_id} ({bytes_shown(frame)})")


def _mbap_problem(*, answer: bytes, slave_id: int, transaction_id: int) -> MeterError:
    if len(answer) < MBAP_HEADER_SIZE + 1:
        return MalformedResponse(f"short answer from slave {slave_id}: {len(answer)} bytes")
    size = 6 + int.from_bytes(answer[4:6], "big")
    if len(answer) < size:
        return MalformedResponse(f"short answer from slave {slave_id}: {len(answer)} of {size} bytes")
    if answer[6] != slave_id:
        return WrongSlave(f"unit {answer[6]} answered a request for unit {slave_id}")
    answered = int.from_bytes(answer[0:2], "big")
    if answered != transaction_id:
        return MalformedResponse(f"answer to transaction {answered} instead of {transaction_id}")
    return MalformedResponse(f"malformed answer from slave {slave_id} ({bytes_shown(answer[:size])})")
