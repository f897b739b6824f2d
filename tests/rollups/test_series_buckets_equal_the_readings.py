"""A long series per 15 minutes, local hour or local day (New York, across its change back from daylight
time) is the same from the rollups as from the readings, with the range's edges inside buckets and its
newest part not closed yet."""

from datetime import timedelta

import pytest
from django.db import connection

from analytics.rollups import rollups_close

from .conftest import END, START, assert_same_groups, groups_from_readings, groups_from_selector

# Neither edge on a bucket's edge, and the last day not closed: every part of a range at once.
RANGE_START = START + timedelta(hours=7, minutes=7)
RANGE_END = END - timedelta(minutes=2)
CLOSED_UNTIL = END - timedelta(days=1, minutes=40)


@pytest.mark.parametrize("resolution", ["15m", "1h", "1d"])
@pytest.mark.parametrize("metric", ["power", "energy_import"])
def test_buckets_from_the_rollups_equal_the_readings(meter, resolution, metric):
    rollups_close(device_id=meter.pk, until=CLOSED_UNTIL)
    query = {"device_id": meter.pk, "metric": metric, "start": RANGE_START, "end": RANGE_END}

    got = groups_from_selector(**query, resolution=resolution)

    assert_same_groups(got, groups_from_readings(**query, resolution=resolution))


def test_the_day_the_clocks_go_back_has_25_hours_of_values(meter):
    rollups_close(device_id=meter.pk, until=END)

    days = groups_from_selector(device_id=meter.pk, metric="power", start=START, end=END, resolution="1d")

    # 2 November 2025 in New York: 25 hours of a reading every 5 minutes.
    assert [day["count"] for day in days if day["ts"].day == 2 and day["ts"].month == 11] == [300]


def test_the_buckets_come_from_the_rollups_where_they_are_closed(meter):
    rollups_close(device_id=meter.pk, until=END)
    # Every reading gone: what the selector still returns, it read from the rollups.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM meters_reading WHERE device_id = %s", [meter.pk])

    days = groups_from_selector(device_id=meter.pk, metric="power", start=START, end=END, resolution="1d")

    assert sum(day["count"] for day in days) == 5 * 288 + 12
