"""A reading stored into closed buckets (a new one between two, and a correction that lacks a metric the
others have) re-opens them: long series stay equal to the readings before the next close and after it."""

from datetime import timedelta

import pytest

from analytics.rollups import rollups_close
from meters.readings.ingest import ReadingIn, readings_ingest

from .conftest import END, START, assert_same_groups, groups_from_readings, groups_from_selector

LATE_AT = START + timedelta(days=2, hours=5, minutes=2, seconds=30)
CORRECTED_AT = START + timedelta(days=3, hours=1)


def _late_readings_store(device_id: int) -> None:
    readings_ingest(
        readings=[
            ReadingIn(device_id=device_id, ts=LATE_AT, metrics={"power": 12345.5, "energy_import": 12500.0}),
            ReadingIn(device_id=device_id, ts=CORRECTED_AT, metrics={"power": -7777.25}),
        ]
    )


@pytest.mark.parametrize("resolution", ["15m", "1d"])
def test_series_equal_the_readings_before_and_after_the_next_close(meter, resolution):
    rollups_close(device_id=meter.pk, until=END)
    query = {"device_id": meter.pk, "start": START, "end": END, "resolution": resolution}

    _late_readings_store(meter.pk)

    for metric in ("power", "energy_import"):
        assert_same_groups(
            groups_from_selector(**query, metric=metric), groups_from_readings(**query, metric=metric)
        )
    rollups_close(device_id=meter.pk, until=END)
    for metric in ("power", "energy_import"):
        assert_same_groups(
            groups_from_selector(**query, metric=metric), groups_from_readings(**query, metric=metric)
        )
