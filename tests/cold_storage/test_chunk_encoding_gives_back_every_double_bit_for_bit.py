"""The cold chunk encoding gives back every double bit for bit, whatever its bits: the pure functions of
meters/readings/cold.py on fixed test vectors."""

import struct

import numpy as np

from meters.readings.cold import (
    chunk_pack,
    chunk_unpack,
    column_pack,
    column_unpack,
    times_pack,
    times_unpack,
)


def _double(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


EDGE_DOUBLES = [
    0.0,
    -0.0,
    5e-324,  # the smallest subnormal
    -2.2250738585072009e-308,  # the largest subnormal, negative
    2.2250738585072014e-308,  # the smallest normal
    1.7976931308635157e308,  # the largest double
    -1.7976931308635157e308,
    float("inf"),
    float("-inf"),
    _double(0x7FF8000000000000),  # the quiet NaN
    _double(0x7FF0000000000001),  # a signalling NaN with a payload
    _double(0xFFF8DEADBEEF0001),  # a negative NaN with a payload
    230.10000610351562,  # a float32 register value stored as a double
    230.1,
    1 / 3,
]


def _bits(values: np.ndarray) -> list[int]:
    return np.ascontiguousarray(values, dtype=np.float64).view(np.uint64).tolist()


def test_a_column_of_edge_doubles_comes_back_with_the_same_bits():
    column = np.array(EDGE_DOUBLES + EDGE_DOUBLES[::-1])

    assert _bits(column_unpack(block=column_pack(values=column))) == _bits(column)


def test_a_slowly_varying_column_comes_back_exactly_and_smaller():
    column = 230.0 + np.round(np.sin(np.arange(2880) / 300.0), 1).astype(np.float32).astype(np.float64)

    block = column_pack(values=column)

    assert _bits(column_unpack(block=block)) == _bits(column)
    assert len(block) < column.size * 2


def test_timestamps_come_back_exactly_even_irregular():
    micros = np.array([0, 30_000_000, 60_000_001, 60_000_002, 1_767_225_599_999_999], dtype=np.int64)

    assert times_unpack(block=times_pack(micros=micros)).tolist() == micros.tolist()


def test_a_chunk_gives_back_its_timestamps_and_every_column():
    micros = np.arange(5, dtype=np.int64) * 30_000_000 + 1_735_700_000_000_000
    matrix = np.array(
        [[EDGE_DOUBLES[(row + column) % len(EDGE_DOUBLES)] for column in range(3)] for row in range(5)]
    )

    data, offsets = chunk_pack(micros=micros, matrix=matrix)
    back_micros, back_matrix = chunk_unpack(data=data, offsets=offsets)

    assert len(offsets) == 4 and offsets[-1] == len(data)
    assert back_micros.tolist() == micros.tolist()
    assert _bits(back_matrix) == _bits(matrix)


def test_an_empty_column_is_packed_and_comes_back_empty():
    assert column_unpack(block=column_pack(values=np.empty(0))).size == 0
