"""Without a step, the forecast takes a round step that keeps it to about 200 points."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from analytics.trend import series_linreg

T0 = datetime(2024, 1, 1, tzinfo=UTC)
POINTS = [(T0, 0.0), (T0 + timedelta(hours=1), 1.0)]


def _steps(fit):
    times = [point["ts"] for point in fit["forecast"]]
    return {later - earlier for earlier, later in pairwise(times)}


@pytest.mark.parametrize(
    ("horizon_hours", "step"),
    [
        (1, timedelta(minutes=1)),
        (24, timedelta(minutes=15)),
        (24 * 7, timedelta(hours=1)),
        (24 * 30, timedelta(hours=6)),
    ],
)
def test_it_picks_a_round_step_for_the_horizon(horizon_hours, step):
    fit = series_linreg(points=POINTS, horizon_hours=horizon_hours)

    assert _steps(fit) == {step}
    assert fit["forecast"][-1]["ts"] == T0 + timedelta(hours=1 + horizon_hours)


def test_a_horizon_beyond_the_table_is_cut_in_200_steps():
    fit = series_linreg(points=POINTS, horizon_hours=50_000)

    assert len(fit["forecast"]) == 201
    assert fit["forecast"][-1]["ts"] == T0 + timedelta(hours=50_001)


def test_an_explicit_step_is_bounded():
    with pytest.raises(ValueError, match="exceeds"):
        series_linreg(points=POINTS, horizon_hours=1000, step_hours=0.1)


@pytest.mark.parametrize(("horizon_hours", "step_hours"), [(-1, None), (1, 0), (1, -0.5)])
def test_a_negative_horizon_or_a_step_that_is_not_positive_is_refused(horizon_hours, step_hours):
    with pytest.raises(ValueError, match="must be"):
        series_linreg(points=POINTS, horizon_hours=horizon_hours, step_hours=step_hours)
