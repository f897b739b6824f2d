"""Periods are calendar hours, days and months of the client's time zone, also across clock changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analytics.energy import energy_per_period

LISBON = ZoneInfo("Europe/Lisbon")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def _one_kwh_per_hour(*, start, end):
    """A counter rising 1 kWh every absolute hour."""
    # Subtracting two datetimes of the same zone gives wall-clock time; UTC gives elapsed time.
    return [(start, 0.0), (end, (end.astimezone(UTC) - start.astimezone(UTC)) / timedelta(hours=1))]


def _rows(*, interval, tz, start, end):
    return energy_per_period(
        interval=interval,
        tz=tz,
        start=start,
        end=end,
        energy_export=None,
        power=None,
        energy_import=_one_kwh_per_hour(start=start, end=end),
    )


def test_months_in_sao_paulo_follow_the_local_calendar():
    rows = _rows(
        interval="month",
        tz="America/Sao_Paulo",
        start=datetime(2024, 1, 1, tzinfo=SAO_PAULO),
        end=datetime(2024, 4, 1, tzinfo=SAO_PAULO),
    )

    assert [row["period"].isoformat() for row in rows] == [
        "2024-01-01T00:00:00-03:00",
        "2024-02-01T00:00:00-03:00",
        "2024-03-01T00:00:00-03:00",
    ]
    assert [row["import_kwh"] for row in rows] == pytest.approx([31 * 24, 29 * 24, 31 * 24])


def test_the_day_lisbon_moves_its_clocks_forward_has_23_hours():
    rows = _rows(
        interval="day",
        tz="Europe/Lisbon",
        start=datetime(2024, 3, 30, tzinfo=LISBON),
        end=datetime(2024, 4, 2, tzinfo=LISBON),
    )

    assert [row["import_kwh"] for row in rows] == pytest.approx([24, 23, 24])
    assert [row["period"].isoformat() for row in rows] == [
        "2024-03-30T00:00:00+00:00",
        "2024-03-31T00:00:00+00:00",
        "2024-04-01T00:00:00+01:00",
    ]


def test_the_day_lisbon_moves_its_clocks_back_has_25_hours():
    rows = _rows(
        interval="day",
        tz="Europe/Lisbon",
        start=datetime(2024, 10, 26, tzinfo=LISBON),
        end=datetime(2024, 10, 29, tzinfo=LISBON),
    )

    assert [row["import_kwh"] for row in rows] == pytest.approx([24, 25, 24])


def test_the_repeated_hour_is_two_periods_with_different_offsets():
    rows = _rows(
        interval="hour",
        tz="Europe/Lisbon",
        start=datetime(2024, 10, 27, 0, tzinfo=LISBON),
        end=datetime(2024, 10, 27, 3, tzinfo=LISBON),
    )

    assert [row["period"].isoformat() for row in rows] == [
        "2024-10-27T00:00:00+01:00",
        "2024-10-27T01:00:00+01:00",
        "2024-10-27T01:00:00+00:00",
        "2024-10-27T02:00:00+00:00",
    ]
    assert [row["import_kwh"] for row in rows] == pytest.approx([1, 1, 1, 1])


def test_the_skipped_hour_has_no_period():
    rows = _rows(
        interval="hour",
        tz="Europe/Lisbon",
        start=datetime(2024, 3, 31, 0, tzinfo=LISBON),
        end=datetime(2024, 3, 31, 4, tzinfo=LISBON),
    )

    assert [row["period"].isoformat() for row in rows] == [
        "2024-03-31T00:00:00+00:00",
        "2024-03-31T02:00:00+01:00",
        "2024-03-31T03:00:00+01:00",
    ]


def test_a_day_without_midnight_starts_when_the_clocks_jump():
    # Sao Paulo's daylight saving time began at midnight on 4 November 2018: that day began at 01:00.
    rows = _rows(
        interval="day",
        tz="America/Sao_Paulo",
        start=datetime(2018, 11, 3, tzinfo=SAO_PAULO),
        end=datetime(2018, 11, 6, tzinfo=SAO_PAULO),
    )

    assert [row["period"].isoformat() for row in rows] == [
        "2018-11-03T00:00:00-03:00",
        "2018-11-04T01:00:00-02:00",
        "2018-11-05T00:00:00-02:00",
    ]
    assert [row["import_kwh"] for row in rows] == pytest.approx([24, 23, 24])


def test_hours_in_a_half_hour_zone_start_on_the_local_hour():
    kolkata = ZoneInfo("Asia/Kolkata")

    rows = _rows(
        interval="hour",
        tz="Asia/Kolkata",
        start=datetime(2024, 5, 10, 9, 15, tzinfo=kolkata),
        end=datetime(2024, 5, 10, 11, tzinfo=kolkata),
    )

    assert [row["period"].isoformat() for row in rows] == [
        "2024-05-10T09:00:00+05:30",
        "2024-05-10T10:00:00+05:30",
    ]
    assert [row["import_kwh"] for row in rows] == pytest.approx([0.75, 1])


def test_an_empty_range_has_no_periods():
    moment = datetime(2024, 5, 10, tzinfo=UTC)

    assert _rows(interval="day", tz="America/Sao_Paulo", start=moment, end=moment) == []


@pytest.mark.parametrize(
    ("interval", "start", "end", "message"),
    [
        ("week", datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC), "interval"),
        ("day", datetime(2024, 1, 2, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC), "after"),
        ("day", datetime(2024, 1, 1), datetime(2024, 1, 2), "naive"),
    ],
)
def test_bad_arguments_are_refused(interval, start, end, message):
    with pytest.raises(ValueError, match=message):
        energy_per_period(
            interval=interval,
            tz="UTC",
            start=start,
            end=end,
            energy_import=None,
            energy_export=None,
            power=None,
        )
