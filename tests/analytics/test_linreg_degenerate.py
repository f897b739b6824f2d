"""Too little data for a line gives None for the fit and an empty forecast, never an exception."""

from datetime import UTC, datetime, timedelta

import pytest

from analytics.trend import series_linreg

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def test_no_points_give_no_fit():
    assert series_linreg(points=[], horizon_hours=24) == {
        "n": 0,
        "t0": None,
        "slope_per_hour": None,
        "intercept": None,
        "r2": None,
        "forecast": [],
    }


def test_one_point_gives_its_time_and_no_line():
    fit = series_linreg(points=[(T0, 5.0)], horizon_hours=24)

    assert fit["n"] == 1
    assert fit["t0"] == T0
    assert fit["slope_per_hour"] is None
    assert fit["forecast"] == []


def test_points_all_at_the_same_time_give_no_line():
    fit = series_linreg(points=[(T0, 1.0), (T0, 2.0), (T0, 3.0)], horizon_hours=24)

    assert fit["n"] == 3
    assert fit["slope_per_hour"] is None
    assert fit["intercept"] is None
    assert fit["r2"] is None
    assert fit["forecast"] == []


def test_a_flat_series_has_slope_zero_and_no_r2():
    points = [(T0 + timedelta(minutes=10 * k), 0.1) for k in range(7)]

    fit = series_linreg(points=points, horizon_hours=1, step_hours=0.5)

    assert fit["slope_per_hour"] == 0
    assert fit["intercept"] == 0.1
    assert fit["r2"] is None
    assert [point["value"] for point in fit["forecast"]] == [0.1, 0.1, 0.1]


def test_non_finite_values_are_left_out():
    fit = series_linreg(
        points=[(T0, float("nan")), (T0 + timedelta(hours=1), 1.0), (T0 + timedelta(hours=2), 3.0)],
        horizon_hours=0,
    )

    assert fit["n"] == 2
    assert fit["t0"] == T0 + timedelta(hours=1)
    assert fit["slope_per_hour"] == pytest.approx(2)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        series_linreg(points=[(datetime(2024, 1, 1), 1.0), (datetime(2024, 1, 2), 2.0)], horizon_hours=1)
