"""Frames in and out of a simulated bus: raw RTU (on a serial line or an EW11 socket) and Modbus TCP (MBAP,
as a TCP-to-RTU gateway answers).
"""

import struct
from itertools import zip_longest

from meters.simulators.bus import Answer, Bus
from meters.transports.frames import rtu_crc, rtu_frame

# Request sizes by function code: addr, function, two 16-bit fields, CRC; 0x42 (PZEM reset) has no field.
RTU_REQUEST_SIZES = {0x01: 8, 0x02: 8, 0x03: 8, 0x04: 8, 0x05: 8, 0x06: 8, 0x42: 4}
MBAP_HEADER = struct.Struct(">HHHB")


def rtu_requests_split(buffer: bytes, *, quiet: bool) -> tuple[list[bytes], bytes]:
    """Complete request frames at the start of `buffer`, and the rest.

    A frame of a known function code ends at its size; anything else ends when the line goes quiet, as
    RTU frames do after 3.5 character times of silence.
    """
    frames = []
    while len(buffer) >= 2 and (size := RTU_REQUEST_SIZES.get(buffer[1])) and len(buffer) >= size:
        frames.append(buffer[:size])
        buffer = buffer[size:]
    if quiet and buffer:
        frames.append(buffer)
        buffer = b""
    return frames, buffer


def mbap_requests_split(buffer: bytes) -> tuple[list[bytes], bytes]:
    frames = []
    while len(buffer) >= MBAP_HEADER.size:
        size = 6 + int.from_bytes(buffer[4:6], "big")
        if len(buffer) < size:
            break
        frames.append(buffer[:size])
        buffer = buffer[size:]
    return frames, buffer


def rtu_exchange(*, bus: Bus, frame: bytes) -> bytes:
    """What comes back on the wire for one request frame (nothing, a frame, or a collision's garble)."""
    if len(frame) < 4 or rtu_crc(frame[:-2]) != frame[-2:]:
        return b""  # slaves ignore a request they cannot trust
    slave_id = frame[0]
    transacted = bus.transact(slave_id=slave_id, pdu=frame[1:-2])
    answers = [_rtu_answer(slave_id=slave_id, answer=answer) for answer in transacted]
    if len(answers) > 1:
        # Two drivers on the same pair at once: the receiver sees their dominant bits combined.
        return bytes(a | b for a, b in zip_longest(*answers[:2], fillvalue=0))
    return answers[0] if answers else b""


def _rtu_answer(*, slave_id: int, answer: Answer) -> bytes:
    if answer.fault == "wrong_slave":
        return rtu_frame(slave_id=_another(slave_id), pdu=answer.pdu)
    frame = rtu_frame(slave_id=slave_id, pdu=answer.pdu)
    if answer.fault == "bad_crc":
        return frame[:-2] + bytes(byte ^ 0xFF for byte in frame[-2:])
    if answer.fault == "short":
        return frame[:-3]
    return frame


def mbap_exchange(*, bus: Bus, frame: bytes) -> bytes:
    """A gateway's answer: silence unless exactly one clean RTU answer came back from the wire."""
    transaction_id, protocol_id, _, unit = MBAP_HEADER.unpack(frame[: MBAP_HEADER.size])
    if protocol_id != 0:
        return b""
    answers = bus.transact(slave_id=unit, pdu=frame[MBAP_HEADER.size :])
    if len(answers) != 1 or answers[0].fault == "bad_crc":
        return b""
    answer = answers[0]
    answering = _another(unit) if answer.fault == "wrong_slave" else unit
    reply = MBAP_HEADER.pack(transaction_id, 0, len(answer.pdu) + 1, answering) + answer.pdu
    return reply[:-3] if answer.fault == "short" else reply


def _another(slave_id: int) -> int:
    return slave_id % 247 + 1
