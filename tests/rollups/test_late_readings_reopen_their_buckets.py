"""A reading stored into closed buckets re-opens them: long-range energy stays equal to the readings'
before the next close and after it (the sums kept for settled periods included: the late batch drops them
when it commits)."""

from datetime import timedelta

from analytics.rollups import rollups_close
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.rollups import rollup_closed_until
from meters.readings.series import metric_series

from .conftest import END, START, assert_same_energy, energy_from_readings, energy_from_selector

LATE_AT = START + timedelta(days=3, hours=5)


def _late_reading_store(device_id: int) -> None:
    # A correction of a stored reading: the counter reaches an hour earlier the value it had an hour later.
    ((_, later),) = metric_series(
        device_id=device_id, metric="energy_import", start=LATE_AT + timedelta(hours=1), limit=1
    )
    readings_ingest(readings=[ReadingIn(device_id=device_id, ts=LATE_AT, metrics={"energy_import": later})])


def test_a_late_reading_moves_the_closed_mark_back_to_its_neighbours_bucket(meter):
    rollups_close(device_id=meter.pk, until=END)

    _late_reading_store(meter.pk)

    assert rollup_closed_until(device_id=meter.pk) <= LATE_AT - timedelta(minutes=10)


def test_energy_equals_the_readings_before_and_after_the_next_close(meter, commits_run):
    rollups_close(device_id=meter.pk, until=END)
    before = energy_from_selector(device_id=meter.pk, interval="hour", start=START, end=END)
    with commits_run(execute=True):
        _late_reading_store(meter.pk)

    assert energy_from_selector(device_id=meter.pk, interval="hour", start=START, end=END) != before
    for interval in ("hour", "day"):
        assert_same_energy(
            energy_from_selector(device_id=meter.pk, interval=interval, start=START, end=END),
            energy_from_readings(device_id=meter.pk, interval=interval, start=START, end=END),
        )
    rollups_close(device_id=meter.pk, until=END)
    for interval in ("hour", "day"):
        assert_same_energy(
            energy_from_selector(device_id=meter.pk, interval=interval, start=START, end=END),
            energy_from_readings(device_id=meter.pk, interval=interval, start=START, end=END),
        )
