"""Least-squares linear trend of a metric and its forecast.

`series_linreg` backs `GET /api/metrics/linreg` (docs/api-contract.md §5, "Linreg fields"). x is hours
since `t0`, the earliest point's time, so `intercept` is the fitted value at `t0`. Points may come in any
order (the API reads them newest first); they are sorted by time. Non-finite values are dropped.

The forecast starts at the last point (the fitted value there, so a chart line joins the data) and steps
`step_hours` up to exactly `horizon_hours` ahead. Without `step_hours` the step is the smallest "round" one
of FORECAST_STEPS_HOURS that keeps the forecast within AUTO_FORECAST_STEPS steps (e.g. 15 min for a day,
1 h for a week, 6 h for a month); beyond the table, horizon / AUTO_FORECAST_STEPS.
"""

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from meters.readings.series import SeriesArrays
from pieng.timebounds import EPOCH

# Readings as (aware datetime, value) pairs, or as the arrays the store reads them into.
Points = Sequence[tuple[datetime, float]] | SeriesArrays

FORECAST_STEPS_HOURS = (1 / 60, 5 / 60, 0.25, 0.5, 1, 2, 3, 6, 12, 24, 48, 168)
AUTO_FORECAST_STEPS = 200
# Bounds an explicit step so a request cannot ask for millions of forecast points.
MAX_FORECAST_STEPS = 1000


def series_linreg(
    *, points: Sequence[tuple[datetime, float]], horizon_hours: float, step_hours: float | None = None
) -> dict:
    if not (horizon_hours >= 0 and math.isfinite(horizon_hours)):
        raise ValueError(f"horizon_hours must be zero or positive, got {horizon_hours}")
    step = _forecast_step(horizon_hours=horizon_hours, step_hours=step_hours)
    seconds, values = points_arrays(points=points)
    fit = {
        "n": int(seconds.size),
        "t0": None,
        "slope_per_hour": None,
        "intercept": None,
        "r2": None,
        "forecast": [],
    }
    if seconds.size == 0:
        return fit
    t0 = _utc_datetime(seconds=seconds[0])
    fit["t0"] = t0
    hours = (seconds - seconds[0]) / 3600
    # Centring on the first value makes a constant series exactly flat (slope 0, no variance).
    offsets = values - values[0]
    dx = hours - hours.mean()
    dy = offsets - offsets.mean()
    sxx = float(dx @ dx)
    if sxx == 0:
        return fit
    syy = float(dy @ dy)
    sxy = float(dx @ dy)
    slope = sxy / sxx
    intercept = float(values[0] + offsets.mean()) - slope * float(hours.mean())
    last = float(hours[-1])
    last_time = _utc_datetime(seconds=seconds[-1])
    fit.update(
        slope_per_hour=slope,
        intercept=intercept,
        # Rounding can push the ratio a hair above 1.
        r2=min(1.0, sxy * sxy / (sxx * syy)) if syy > 0 else None,
        forecast=[
            {"ts": last_time + timedelta(hours=ahead), "value": intercept + slope * (last + ahead)}
            for ahead in _forecast_offsets(horizon_hours=horizon_hours, step_hours=step)
        ],
    )
    return fit


def points_arrays(*, points: Points) -> tuple[np.ndarray, np.ndarray]:
    """Epoch seconds and values of (aware datetime, value) points or of a store's arrays, in time order,
    non-finite values dropped.

    Vectorised where it counts: a year of 30 s readings is a million points.
    """
    if isinstance(points, SeriesArrays):
        seconds, values = points.seconds, points.values
    else:
        times = [moment for moment, _ in points]
        if any(moment.tzinfo is None for moment in times):
            # pandas would take a naive time as UTC and shift local readings by the zone's offset.
            raise ValueError("naive datetime among the points: readings need a time zone")
        seconds = ((pd.to_datetime(times, utc=True) - EPOCH) / pd.Timedelta(seconds=1)).to_numpy(dtype=float)
        values = np.fromiter((value for _, value in points), float, len(points))
    order = np.argsort(seconds, kind="stable")
    seconds, values = seconds[order], values[order]
    finite = np.isfinite(values)
    return seconds[finite], values[finite]


def _utc_datetime(*, seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _forecast_step(*, horizon_hours: float, step_hours: float | None) -> float:
    if step_hours is not None:
        if not step_hours > 0:
            raise ValueError(f"step_hours must be positive, got {step_hours}")
        if horizon_hours / step_hours > MAX_FORECAST_STEPS:
            raise ValueError(
                f"a step of {step_hours} h over {horizon_hours} h exceeds {MAX_FORECAST_STEPS} points"
            )
        return step_hours
    for candidate in FORECAST_STEPS_HOURS:
        if horizon_hours / candidate <= AUTO_FORECAST_STEPS:
            return candidate
    return horizon_hours / AUTO_FORECAST_STEPS


def _forecast_offsets(*, horizon_hours: float, step_hours: float) -> list[float]:
    # The tolerance keeps float noise (0.7 / 0.1 = 6.9999...) from dropping a step or doubling the last one.
    whole_steps = math.floor(horizon_hours / step_hours + 1e-9)
    offsets = [k * step_hours for k in range(whole_steps + 1)]
    if horizon_hours - offsets[-1] > 1e-9 * max(horizon_hours, 1):
        offsets.append(horizon_hours)
    return offsets
