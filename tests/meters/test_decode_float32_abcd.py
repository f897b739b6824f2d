import math

import pytest

from meters.drivers.registers import float32_abcd_decode, float32_abcd_encode

# (high register, low register) as an Eastron meter sends them, and the value they hold.
VECTORS = [
    ((0x42FE, 0x6666), 127.2),
    ((0x4370, 0x0000), 240.0),
    ((0x4270, 0x0000), 60.0),
    ((0xC5BB, 0x8000), -6000.0),
    ((0x3F6B, 0x851F), 0.92),
    ((0x0000, 0x0000), 0.0),
]


@pytest.mark.parametrize(("registers", "value"), VECTORS)
def test_it_decodes_big_endian_high_word_first(registers, value):
    assert float32_abcd_decode(*registers) == value


@pytest.mark.parametrize(("registers", "value"), VECTORS)
def test_it_encodes_what_it_decodes(registers, value):
    assert float32_abcd_encode(value) == registers


def test_it_gives_the_shortest_decimal_of_the_float32_not_its_binary_expansion():
    assert repr(float32_abcd_decode(0x42FE, 0x6666)) == "127.2"


def test_swapped_words_would_give_another_number():
    assert float32_abcd_decode(0x6666, 0x42FE) != 127.2


def test_a_nan_register_pair_decodes_as_nan():
    assert math.isnan(float32_abcd_decode(0x7FC0, 0x0000))
