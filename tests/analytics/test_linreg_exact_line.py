"""A series on an exact line y = 10 + 2 x (x in hours) is fitted exactly and extended along the line."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analytics.trend import series_linreg

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
T0 = datetime(2024, 5, 10, 9, 0, tzinfo=SAO_PAULO)
HOURS = (0, 1.5, 3, 6)
# Newest first, as the API reads them: the fit must not depend on the order.
POINTS = [(T0 + timedelta(hours=hour), 10 + 2 * hour) for hour in reversed(HOURS)]


def test_it_fits_the_line():
    fit = series_linreg(points=POINTS, horizon_hours=2, step_hours=0.5)

    assert fit["n"] == 4
    assert fit["slope_per_hour"] == pytest.approx(2)
    assert fit["intercept"] == pytest.approx(10)
    assert fit["r2"] == pytest.approx(1)


def test_t0_is_the_first_points_time_in_utc():
    fit = series_linreg(points=POINTS, horizon_hours=2)

    assert fit["t0"] == datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
    assert fit["t0"].utcoffset() == timedelta(0)


def test_the_forecast_runs_from_the_last_point_to_the_horizon():
    fit = series_linreg(points=POINTS, horizon_hours=2, step_hours=0.5)

    last = T0 + timedelta(hours=6)
    expected_times = [last + timedelta(hours=ahead) for ahead in (0, 0.5, 1, 1.5, 2)]
    assert [point["ts"] for point in fit["forecast"]] == expected_times
    assert [point["value"] for point in fit["forecast"]] == pytest.approx([22, 23, 24, 25, 26])
    assert all(point["ts"].utcoffset() == timedelta(0) for point in fit["forecast"])


def test_a_horizon_that_is_not_a_multiple_of_the_step_still_ends_on_the_horizon():
    fit = series_linreg(points=POINTS, horizon_hours=1.25, step_hours=0.5)

    offsets = [(point["ts"] - fit["forecast"][0]["ts"]) / timedelta(hours=1) for point in fit["forecast"]]
    assert offsets == [0, 0.5, 1, 1.25]
    assert fit["forecast"][-1]["value"] == pytest.approx(10 + 2 * 7.25)


def test_a_noisy_line_has_r2_below_one():
    points = [(T0 + timedelta(hours=hour), value) for hour, value in enumerate([1, 3, 2, 4])]

    fit = series_linreg(points=points, horizon_hours=0)

    # x 0..3, y 1 3 2 4: Sxy = 4, Sxx = 5, Syy = 5.
    assert fit["slope_per_hour"] == pytest.approx(0.8)
    assert fit["intercept"] == pytest.approx(1.3)
    assert fit["r2"] == pytest.approx(16 / 25)
    assert len(fit["forecast"]) == 1
