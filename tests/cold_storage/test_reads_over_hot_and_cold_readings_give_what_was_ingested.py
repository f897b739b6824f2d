"""Every read path gives the same answer, in the same order, once the old days are packed into cold
chunks: series, latest and recent readings, rows and exports, counts, summaries and energy."""

from datetime import timedelta

from meters.models import ColdChunk, Reading
from meters.readings.chunks import chunks_pack
from meters.readings.series import metric_series

from .conftest import END, PACK_BEFORE, START, assert_same_answers, every_read, meter_readings


def test_packing_two_days_changes_no_answer(meter):
    before = every_read(meter)

    packed = chunks_pack(device_id=meter.pk, before=PACK_BEFORE)

    assert packed.days == 2
    assert ColdChunk.objects.filter(device_id=meter.pk).count() == 3  # day two has two layouts
    assert not Reading.objects.filter(device_id=meter.pk, ts__lt=PACK_BEFORE).exists()
    assert_same_answers(every_read(meter), before)


def test_a_device_whose_readings_are_all_packed_still_has_its_latest_values(meter):
    before = every_read(meter)

    chunks_pack(device_id=meter.pk, before=END + timedelta(days=1))

    assert not Reading.objects.filter(device_id=meter.pk).exists()
    assert_same_answers(every_read(meter), before)


def test_values_read_back_from_chunks_are_the_ingested_ones(meter):
    chunks_pack(device_id=meter.pk, before=PACK_BEFORE)

    points = metric_series(device_id=meter.pk, metric="voltage_l1", start=START, end=END)

    assert points == [(ts, metrics["voltage_l1"]) for ts, metrics in meter_readings()]
