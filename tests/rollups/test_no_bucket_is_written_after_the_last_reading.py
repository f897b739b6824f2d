"""Closing past a device's last reading writes no bucket for the silent days after the day of its last
reading (an empty bucket and a missing one sum the same), yet closes them."""

from datetime import UTC, datetime, timedelta

from django.db import connection

from analytics.rollups import rollups_close
from meters.readings.rollups import rollup_closed_until

from .conftest import END, START, assert_same_energy, energy_from_readings, energy_from_selector

LATER = END + timedelta(days=10)
# The day of the last reading is closed as one chunk; the days after it are silent.
SILENT_FROM = datetime(2025, 11, 5, tzinfo=UTC)


def _rows_after(table: str, column: str, device_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE device_id = %s AND {column} >= %s", [device_id, SILENT_FROM]
        )
        return cursor.fetchone()[0]


def test_ten_silent_days_are_closed_without_a_row(meter):
    rollups_close(device_id=meter.pk, until=LATER)

    assert rollup_closed_until(device_id=meter.pk) == LATER
    assert _rows_after("meters_energyrollup", "bucket", meter.pk) == 0
    assert _rows_after("meters_metricrollup", "day", meter.pk) == 0
    assert_same_energy(
        energy_from_selector(device_id=meter.pk, interval="day", start=START, end=LATER),
        energy_from_readings(device_id=meter.pk, interval="day", start=START, end=LATER),
    )
