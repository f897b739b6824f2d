"""Energy of a long range comes from the rollups and equals the readings' computation, by hour and by day,
through a counter reset, a glitch, power both ways and a 25-hour day."""

from datetime import timedelta

from django.db import connection

from analytics.rollups import rollups_close

from .conftest import END, START, assert_same_energy, energy_from_readings, energy_from_selector


def test_energy_by_day_and_by_hour_from_rollups_equals_the_readings(meter):
    rollups_close(device_id=meter.pk, until=END)
    start, end = START + timedelta(minutes=7), END - timedelta(minutes=20)

    for interval in ("day", "hour"):
        assert_same_energy(
            energy_from_selector(device_id=meter.pk, interval=interval, start=start, end=end),
            energy_from_readings(device_id=meter.pk, interval=interval, start=start, end=end),
        )


def test_the_day_the_clocks_go_back_has_25_hours_of_energy(meter):
    rollups_close(device_id=meter.pk, until=END)

    rows = energy_from_selector(device_id=meter.pk, interval="hour", start=START, end=END)

    sunday = [row for row in rows if row["period"].date().isoformat() == "2025-11-02"]
    assert len(sunday) == 25


def test_a_long_range_reads_the_rollups_not_the_readings(meter):
    expected = energy_from_readings(device_id=meter.pk, interval="day", start=START, end=END)
    rollups_close(device_id=meter.pk, until=END)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM meters_reading WHERE device_id = %s AND ts >= %s AND ts < %s",
            [meter.pk, START + timedelta(hours=2), END - timedelta(hours=2)],
        )

    assert_same_energy(
        energy_from_selector(device_id=meter.pk, interval="day", start=START, end=END), expected
    )
