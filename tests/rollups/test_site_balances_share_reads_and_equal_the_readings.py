"""A page's several balances (today, the month, a custom range) read overlapping stretches of readings once
and still equal what each range computed from the readings alone gives: counters and power, a reset, a
glitch, the newest hours after the closed buckets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.rollups import rollups_close
from analytics.selectors import site_energy_balances
from meters.models import Device

from .conftest import END, START, TZ, energy_from_readings


def test_balances_of_overlapping_ranges_equal_the_readings(meter):
    Device.objects.filter(pk=meter.pk).update(role=Device.Role.GRID)
    rollups_close(device_id=meter.pk, until=END - timedelta(hours=30))
    ranges = [
        ("hour", END - timedelta(days=1), END),
        ("day", START, END),
        ("hour", START + timedelta(minutes=7), END - timedelta(minutes=20)),
    ]

    with CaptureQueriesContext(connection) as queries:
        balances = site_energy_balances(tz=TZ, ranges=ranges)

    for (interval, start, end), balance in zip(ranges, balances, strict=True):
        expected = energy_from_readings(device_id=meter.pk, interval=interval, start=start, end=end)
        assert [row["period"] for row in balance["rows"]] == [row["period"] for row in expected]
        for field in ("import_kwh", "export_kwh"):
            assert [row[field] for row in balance["rows"]] == pytest.approx(
                [row[field] for row in expected], abs=1e-9
            )
    reads = [query for query in queries.captured_queries if "FROM meters_reading r" in query["sql"]]
    # Five stretches of readings (today; the month's newest 30 hours; the custom range's first 8 minutes
    # and newest hours) make two runs, each read once for its counters and once for its power (the meter
    # has no export counter).
    assert len(reads) == 4
