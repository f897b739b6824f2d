"""Energy from counters: the counter at a period's end minus the counter at its start, interpolated linearly
at boundaries between readings, never extrapolated beyond them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analytics.energy import energy_per_period

TZ = "America/Sao_Paulo"
SAO_PAULO = ZoneInfo(TZ)


def _local(*args):
    return datetime(*args, tzinfo=SAO_PAULO)


def _energy(**kwargs):
    return energy_per_period(**{"energy_import": None, "energy_export": None, "power": None, **kwargs})


def test_it_interpolates_the_counter_at_hour_boundaries():
    readings = [
        (_local(2024, 5, 10, 10, 50), 100.0),
        (_local(2024, 5, 10, 11, 10), 102.0),
        (_local(2024, 5, 10, 12, 20), 109.0),
    ]

    rows = _energy(
        interval="hour",
        tz=TZ,
        start=_local(2024, 5, 10, 10),
        end=_local(2024, 5, 10, 13),
        energy_import=readings,
    )

    # At 11:00 the counter is halfway from 100 to 102; at 12:00, 50 of 70 minutes from 102 to 109.
    assert [row["period"] for row in rows] == [_local(2024, 5, 10, hour) for hour in (10, 11, 12)]
    assert [row["import_kwh"] for row in rows] == pytest.approx([1.0, 6.0, 2.0])
    assert [row["export_kwh"] for row in rows] == [0, 0, 0]
    assert [row["net_kwh"] for row in rows] == pytest.approx([1.0, 6.0, 2.0])


def test_periods_are_labelled_with_their_local_start():
    rows = _energy(
        interval="hour",
        tz=TZ,
        start=_local(2024, 5, 10, 10),
        end=_local(2024, 5, 10, 11),
        energy_import=[(_local(2024, 5, 10, 10), 1.0)],
    )

    assert rows[0]["period"].isoformat() == "2024-05-10T10:00:00-03:00"


def test_it_splits_a_day_boundary_between_two_readings():
    imported = [(_local(2024, 5, 10, 23, 30), 50.0), (_local(2024, 5, 11, 0, 30), 52.0)]
    exported = [(_local(2024, 5, 10, 23, 0), 7.0), (_local(2024, 5, 11, 1, 0), 11.0)]

    rows = _energy(
        interval="day",
        tz=TZ,
        start=_local(2024, 5, 10),
        end=_local(2024, 5, 12),
        energy_import=imported,
        energy_export=exported,
    )

    assert [row["import_kwh"] for row in rows] == pytest.approx([1.0, 1.0])
    assert [row["export_kwh"] for row in rows] == pytest.approx([2.0, 2.0])
    assert [row["net_kwh"] for row in rows] == pytest.approx([-1.0, -1.0])


def test_month_boundaries_are_local_midnights_not_utc_ones():
    # Noon in Sao Paulo on both days: 12 of the 24 hours fall in each month (UTC months would give 9 and 15).
    readings = [(datetime(2024, 1, 31, 15, tzinfo=UTC), 0.0), (datetime(2024, 2, 1, 15, tzinfo=UTC), 24.0)]

    rows = _energy(
        interval="month", tz=TZ, start=_local(2024, 1, 1), end=_local(2024, 3, 1), energy_import=readings
    )

    assert [row["period"] for row in rows] == [_local(2024, 1, 1), _local(2024, 2, 1)]
    assert [row["import_kwh"] for row in rows] == pytest.approx([12.0, 12.0])


def test_only_the_part_of_a_period_covered_by_readings_counts():
    # 1 kWh per hour from 06:00 to 18:00 only.
    readings = [(_local(2024, 5, 10, 6) + timedelta(hours=hour), float(hour)) for hour in range(13)]

    hours = _energy(
        interval="hour", tz=TZ, start=_local(2024, 5, 10), end=_local(2024, 5, 11), energy_import=readings
    )
    days = _energy(
        interval="day", tz=TZ, start=_local(2024, 5, 9), end=_local(2024, 5, 12), energy_import=readings
    )

    assert [row["import_kwh"] for row in hours] == [0.0] * 6 + [1.0] * 12 + [0.0] * 6
    assert [row["import_kwh"] for row in days] == [0.0, 12.0, 0.0]


def test_start_and_end_clip_the_first_and_last_period():
    # 1 kWh per hour for two whole days.
    readings = [(_local(2024, 5, 10), 0.0), (_local(2024, 5, 12), 48.0)]

    rows = _energy(
        interval="day",
        tz=TZ,
        start=_local(2024, 5, 10, 12),
        end=_local(2024, 5, 11, 18),
        energy_import=readings,
    )

    assert [row["period"] for row in rows] == [_local(2024, 5, 10), _local(2024, 5, 11)]
    assert [row["import_kwh"] for row in rows] == pytest.approx([12.0, 18.0])


def test_readings_of_the_same_instant_keep_the_last_one_stored():
    readings = [
        (_local(2024, 5, 10, 10), 10.0),
        (_local(2024, 5, 10, 11), 99.0),
        (_local(2024, 5, 10, 11), 12.0),
    ]

    rows = _energy(
        interval="day", tz=TZ, start=_local(2024, 5, 10), end=_local(2024, 5, 11), energy_import=readings
    )

    assert rows[0]["import_kwh"] == pytest.approx(2.0)
