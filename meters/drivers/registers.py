"""Pure conversions between 16-bit Modbus registers and numbers, and the planning of block reads."""

import struct
from collections.abc import Iterable

import numpy


def float32_abcd_decode(high: int, low: int) -> float:
    """IEEE-754 float32 with the high word first and big-endian bytes (ABCD), as Eastron meters send it.

    Returned as the shortest decimal that is the same float32 (127.2, not 127.19999694824219): that is the
    precision the meter sent.
    """
    return float32_abcd_block_decode([high, low])[0]


def float32_abcd_block_decode(registers: list[int]) -> list[float]:
    """Consecutive ABCD float32s (two registers each), each as the shortest decimal of its float32.

    numpy's float32 `str` is that shortest decimal (Dragon4), four times cheaper than finding it by trying
    digit counts, for a whole block at once: a poll decodes about fifty values.
    """
    raw = struct.pack(f">{len(registers)}H", *registers)
    return [float(str(value)) for value in numpy.frombuffer(raw, dtype=">f4")]


def float32_abcd_encode(value: float) -> tuple[int, int]:
    return struct.unpack(">HH", struct.pack(">f", value))


def uint32_low_word_first_decode(low: int, high: int) -> int:
    """A 32-bit value whose low 16 bits come in the first register (PZEM-004T); bytes stay big-endian."""
    return low | high << 16


def uint32_low_word_first_encode(value: int) -> tuple[int, int]:
    return value & 0xFFFF, value >> 16 & 0xFFFF


def register_blocks_plan(*, spans: Iterable[tuple[int, int]], max_count: int) -> list[tuple[int, int]]:
    """The fewest (start, count) reads of at most `max_count` registers that cover every (address, size).

    Greedy from the lowest address: each block starts at the first span not yet covered and takes every
    span that ends within reach; that is optimal for intervals of one fixed length. Registers in the gaps
    are read and ignored.
    """
    blocks: list[tuple[int, int]] = []
    for address, size in sorted(spans):
        if blocks and address + size <= blocks[-1][0] + max_count:
            start = blocks[-1][0]
            blocks[-1] = (start, max(blocks[-1][1], address + size - start))
        else:
            blocks.append((address, size))
    return blocks
