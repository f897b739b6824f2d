from meters.drivers.registers import register_blocks_plan
from meters.drivers.sdm630 import MAX_REGISTERS_PER_REQUEST, SDM630_BLOCKS, SDM630_INPUT_REGISTERS


def test_it_merges_spans_that_fit_in_one_request():
    assert register_blocks_plan(spans=[(0, 2), (10, 2), (78, 2)], max_count=80) == [(0, 80)]


def test_it_starts_a_new_request_when_a_span_would_overflow_the_limit():
    assert register_blocks_plan(spans=[(0, 2), (79, 2)], max_count=80) == [(0, 2), (79, 2)]


def test_it_ignores_the_order_of_the_spans():
    assert register_blocks_plan(spans=[(300, 2), (0, 2)], max_count=80) == [(0, 2), (300, 2)]


def test_a_full_sdm630_read_takes_four_requests():
    assert SDM630_BLOCKS == [(0x0000, 80), (0x0054, 4), (0x00C8, 46), (0x0156, 16)]


def test_every_sdm630_block_respects_the_meter_limit_and_every_value_is_covered():
    assert all(count <= MAX_REGISTERS_PER_REQUEST for _, count in SDM630_BLOCKS)
    for address in SDM630_INPUT_REGISTERS.values():
        assert any(start <= address and address + 2 <= start + count for start, count in SDM630_BLOCKS)
