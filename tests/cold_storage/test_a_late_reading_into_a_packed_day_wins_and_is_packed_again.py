"""A reading stored for a day already packed goes to the hot table: reads give it instead of the packed one
at the same time (last write wins), a replayed batch changes nothing, and the next packing merges it into
the day's chunks."""

from datetime import timedelta

from analytics.rollups import rollups_close
from meters.models import ColdChunk, Reading
from meters.readings.chunks import chunks_pack
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.rollups import rollup_closed_until
from meters.readings.series import metric_series

from .conftest import END, PACK_BEFORE, START, assert_same_answers, every_read, meter_readings

CORRECTED_AT = START + timedelta(hours=5)  # a packed reading's time
BETWEEN_AT = START + timedelta(hours=7, minutes=5)  # between two packed readings


def _late_batch(device_id: int) -> list[ReadingIn]:
    return [
        ReadingIn(device_id=device_id, ts=CORRECTED_AT, metrics={"voltage_l1": 199.5}),
        ReadingIn(device_id=device_id, ts=BETWEEN_AT, metrics={"voltage_l1": 201.25, "power": 5.0}),
    ]


def _expected_voltage() -> list:
    expected = {ts: metrics["voltage_l1"] for ts, metrics in meter_readings()}
    expected[CORRECTED_AT], expected[BETWEEN_AT] = 199.5, 201.25
    return sorted(expected.items())


def test_the_late_readings_win_over_the_packed_ones_and_a_replay_changes_nothing(meter):
    chunks_pack(device_id=meter.pk, before=PACK_BEFORE)

    readings_ingest(readings=_late_batch(meter.pk))
    once = every_read(meter)
    readings_ingest(readings=_late_batch(meter.pk))

    assert metric_series(device_id=meter.pk, metric="voltage_l1", start=START, end=END) == _expected_voltage()
    # The corrected reading replaced the whole packed one: its other metrics are gone, as in the hot table.
    energy = metric_series(device_id=meter.pk, metric="energy_import", start=START, end=END)
    assert CORRECTED_AT not in [ts for ts, _ in energy]
    assert_same_answers(every_read(meter), once)


def test_the_next_packing_merges_them_into_the_day_and_reads_stay_the_same(meter):
    chunks_pack(device_id=meter.pk, before=PACK_BEFORE)
    readings_ingest(readings=_late_batch(meter.pk))
    merged = every_read(meter)

    packed = chunks_pack(device_id=meter.pk, before=PACK_BEFORE)

    assert packed.days == 1
    assert not Reading.objects.filter(device_id=meter.pk, ts__lt=PACK_BEFORE).exists()
    # The corrected reading has a layout of its own: a chunk of its own on that day.
    assert ColdChunk.objects.filter(device_id=meter.pk, first_ts__lt=START + timedelta(days=1)).count() == 3
    assert_same_answers(every_read(meter), merged)


def test_a_late_reading_re_opens_the_closed_buckets_from_the_packed_readings_before_it(meter):
    rollups_close(device_id=meter.pk, until=END)
    chunks_pack(device_id=meter.pk, before=PACK_BEFORE)

    readings_ingest(readings=_late_batch(meter.pk))

    assert rollup_closed_until(device_id=meter.pk) <= CORRECTED_AT - timedelta(minutes=20)
