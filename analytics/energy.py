"""Imported, exported and net energy per calendar period in a client's time zone.

Backs `GET /api/energy`, the portal charts and the exports (docs/api-contract.md §5, "Energy per period").

Periods
- Calendar hours, days or months in `tz`: every one that overlaps [start, end) is a row, labelled with its
  start as an aware datetime in `tz`. `start` and `end` clip the first and last period, so the rows add up to
  the energy in [start, end); pass period-aligned bounds to get whole periods.
- Days and months follow the wall calendar, so a day has 23 or 25 hours when the clocks change, and a day
  whose midnight does not exist starts when the clocks jump. The hour repeated when the clocks go back is two
  rows with different UTC offsets.

Counters (`energy_import`, `energy_export`, kWh)
- The energy in a window is the counter at its end minus the counter at its start, interpolated linearly in
  time between the readings around a boundary that no reading falls on. Across a gap in the readings the
  counter difference is real energy, so it is spread evenly over the gap.
- A single reading out of line is a glitch and is skipped: one that falls below RESET_FRACTION of the reading
  before it while the reading after it is back at that level (12000, 0, 12000.1 is 0.1 kWh, not a reset),
  or one that jumps so far that the reading after it falls back below RESET_FRACTION of it, to the level of
  the reading before (12000, 99999, 12000.1). The newest reading, which nothing follows yet, is skipped when
  it falls below RESET_FRACTION of the one before: a fall is a reset only once a following reading confirms
  it.
- Resets follow Home Assistant's `total_increasing`: a confirmed reading below RESET_FRACTION of the previous
  one starts a new meter cycle and its value is the energy used since the reset. A smaller dip is rounding
  noise (a counter stored as float32, a meter that corrects itself): the counter is held at its highest value
  until it climbs past it again, so no period shows negative energy.
- No extrapolation: before the first and after the last reading a counter is flat, so only the part of a
  period covered by readings counts and a period without readings is 0. Pass the readings that bracket
  [start, end) (the last one at or before `start`, the first one at or after `end`) so that the bounds are
  interpolated rather than cut.

Power (`power`, W, > 0 import, < 0 export; docs/metering.md)
- Trapezoidal integral over time: the positive part is import, the negative part export. A segment whose
  ends have opposite signs is split at its zero crossing, so both parts are exact for a linear segment, also
  where a period boundary cuts a segment.
- A segment longer than POWER_MAX_GAP is missing data, not a ramp between its ends: it adds nothing.

Sources
- Each direction uses its counter when that counter has readings, else the matching part of the power
  integral when power has readings, else it is 0. A meter with both counters never integrates power; a
  PZEM-004T (import counter, power >= 0, no export counter) gets export 0 from its power.

Cost: one sort and a few vector passes per series, then a binary search per period boundary; a year of 30 s
readings (about a million points) is dominated by turning the datetimes into numbers.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from analytics.trend import Points, points_arrays
from pieng.timebounds import EPOCH

RESET_FRACTION = 0.9
POWER_MAX_GAP = timedelta(hours=1)
JOULES_PER_KWH = 3_600_000

# Every UTC offset and every clock change in use falls on a quarter hour, so scanning a quarter-hour grid
# for changes of the local calendar label finds every period start exactly.
_GRID = "15min"

# How far beyond [start, end) to scan: longer than any period, so the periods holding start and end are whole.
_REACH = {"hour": pd.Timedelta(hours=2), "day": pd.Timedelta(days=2), "month": pd.Timedelta(days=33)}


def _hour_labels(*, wall: pd.DatetimeIndex, offset: np.ndarray) -> list[np.ndarray]:
    # The UTC offset tells apart the two hours that share a wall-clock label when the clocks go back.
    return [wall.floor("h").asi8, offset]


def _day_labels(*, wall: pd.DatetimeIndex, offset: np.ndarray) -> list[np.ndarray]:
    return [wall.normalize().asi8]


def _month_labels(*, wall: pd.DatetimeIndex, offset: np.ndarray) -> list[np.ndarray]:
    return [wall.year.to_numpy() * 12 + wall.month.to_numpy()]


_LABELS = {"hour": _hour_labels, "day": _day_labels, "month": _month_labels}


def energy_per_period(
    *,
    interval: str,
    tz: str,
    start: datetime,
    end: datetime,
    energy_import: Points | None,
    energy_export: Points | None,
    power: Points | None,
) -> list[dict]:
    def cumulative(at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _cumulative_energy(
            energy_import=energy_import, energy_export=energy_export, power=power, at=at
        )

    return _periods(interval=interval, tz=tz, start=start, end=end, cumulative=cumulative)


def energy_per_bucket(
    *,
    edges: np.ndarray,
    energy_import: Points | None,
    energy_export: Points | None,
    power: Points | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Imported and exported kWh between consecutive `edges` (epoch seconds), by the same rules as
    energy_per_period: what the rollups store for each 15-minute bucket."""
    imported, exported = _cumulative_energy(
        energy_import=energy_import, energy_export=energy_export, power=power, at=edges
    )
    return np.diff(imported), np.diff(exported)


def energy_per_period_of_buckets(
    *,
    interval: str,
    tz: str,
    start: datetime,
    end: datetime,
    bucket_sums: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> list[dict]:
    """energy_per_period from per-bucket energy (energy_per_bucket's): `bucket_sums(edges)` gives the kWh
    imported and exported by the buckets between each two consecutive edges (ascending epoch seconds).

    `start` and `end` must fall on bucket edges: every period edge then does too, and a period's energy is
    the sum of its buckets.
    """

    def cumulative(at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        edges = np.unique(at)
        imported, exported = bucket_sums(edges)
        index = np.searchsorted(edges, at)
        return (
            np.concatenate([[0.0], np.cumsum(imported)])[index],
            np.concatenate([[0.0], np.cumsum(exported)])[index],
        )

    return _periods(interval=interval, tz=tz, start=start, end=end, cumulative=cumulative)


def _periods(
    *,
    interval: str,
    tz: str,
    start: datetime,
    end: datetime,
    cumulative: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
) -> list[dict]:
    if interval not in _LABELS:
        raise ValueError(f"interval must be one of {', '.join(_LABELS)}, got {interval!r}")
    first, last = _utc_timestamp(moment=start), _utc_timestamp(moment=end)
    if first > last:
        raise ValueError(f"start {start.isoformat()} is after end {end.isoformat()}")
    if first == last:
        return []
    edges = _period_edges(interval=interval, tz=tz, start=first, end=last)
    edge_seconds = (edges - EPOCH) / pd.Timedelta(seconds=1)
    lows = np.maximum(edge_seconds[:-1], first.timestamp())
    highs = np.minimum(edge_seconds[1:], last.timestamp())
    imported, exported = cumulative(np.concatenate([lows, highs]))
    periods = len(lows)
    import_kwh = (imported[periods:] - imported[:periods]).tolist()
    export_kwh = (exported[periods:] - exported[:periods]).tolist()
    labels = edges[:-1].tz_convert(tz).to_pydatetime()
    return [
        {"period": period, "import_kwh": imp, "export_kwh": exp, "net_kwh": imp - exp}
        for period, imp, exp in zip(labels, import_kwh, export_kwh, strict=True)
    ]


def _utc_timestamp(*, moment: datetime) -> pd.Timestamp:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: start and end need a time zone")
    return pd.Timestamp(moment).tz_convert("UTC")


def _period_edges(*, interval: str, tz: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """UTC starts of the periods overlapping [start, end) (not empty), then the end of the last one."""
    reach = _REACH[interval]
    grid = pd.date_range(start=start.floor(_GRID) - reach, end=end + reach, freq=_GRID)
    wall = grid.tz_convert(tz).tz_localize(None)
    offset = wall.asi8 - grid.tz_localize(None).asi8
    labels = _LABELS[interval](wall=wall, offset=offset)
    changed = np.logical_or.reduce([label[1:] != label[:-1] for label in labels])
    starts = grid[1:][changed]
    overlapping = np.flatnonzero((starts[:-1] < end) & (starts[1:] > start))
    return starts[overlapping[0] : overlapping[-1] + 2]


def _cumulative_energy(
    *,
    energy_import: Points | None,
    energy_export: Points | None,
    power: Points | None,
    at: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Imported and exported kWh counted from each source's first reading up to each instant of `at`."""
    has_import, has_export = _has_readings(readings=energy_import), _has_readings(readings=energy_export)
    from_power = (np.zeros(at.size), np.zeros(at.size))
    if _has_readings(readings=power) and not (has_import and has_export):
        from_power = _power_energy(readings=power, at=at)
    return (
        _counter_energy(readings=energy_import, at=at) if has_import else from_power[0],
        _counter_energy(readings=energy_export, at=at) if has_export else from_power[1],
    )


def _has_readings(*, readings: Points | None) -> bool:
    return readings is not None and len(readings) > 0


def _readings_arrays(*, readings: Points) -> tuple[np.ndarray, np.ndarray]:
    seconds, values = points_arrays(points=readings)
    # Two readings of the same instant would make a vertical step; the later one stored wins.
    last_of_instant = np.append(seconds[1:] != seconds[:-1], True)
    return seconds[last_of_instant], values[last_of_instant]


def _counter_energy(*, readings: Points, at: np.ndarray) -> np.ndarray:
    seconds, values = _readings_arrays(readings=readings)
    kept = ~_counter_glitches(values=values)
    seconds, values = seconds[kept], values[kept]
    if seconds.size == 0:
        return np.zeros(at.size)
    reset = values[1:] < RESET_FRACTION * values[:-1]
    cycle = np.concatenate([[0], np.cumsum(reset)])
    held = pd.Series(values).groupby(cycle).cummax().to_numpy()
    steps = np.diff(held)
    steps[reset] = held[1:][reset]
    total = np.concatenate([[0.0], np.cumsum(steps)])
    # np.interp is flat beyond the end readings: no extrapolation.
    return np.interp(at, seconds, total)


def _counter_glitches(*, values: np.ndarray) -> np.ndarray:
    """Which readings are single glitches (module docstring): judged against the raw readings around them."""
    glitch = np.zeros(values.size, dtype=bool)
    if values.size < 2:
        return glitch
    before, here, after = values[:-2], values[1:-1], values[2:]
    after_agrees = after >= RESET_FRACTION * before
    glitch[1:-1] = after_agrees & ((here < RESET_FRACTION * before) | (after < RESET_FRACTION * here))
    previous = values[-3] if glitch[-2] else values[-2]
    glitch[-1] = values[-1] < RESET_FRACTION * previous
    return glitch


def _power_energy(*, readings: Points, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    seconds, watts = _readings_arrays(readings=readings)
    if seconds.size < 2:
        return np.zeros(at.size), np.zeros(at.size)
    live_segment = np.diff(seconds) <= POWER_MAX_GAP.total_seconds()
    crossing = np.flatnonzero(watts[:-1] * watts[1:] < 0)
    zero_at = seconds[crossing] + (seconds[crossing + 1] - seconds[crossing]) * (
        watts[crossing] / (watts[crossing] - watts[crossing + 1])
    )
    knots = np.insert(seconds, crossing + 1, zero_at)
    knot_watts = np.insert(watts, crossing + 1, 0.0)
    live = live_segment[np.searchsorted(seconds, knots[:-1], side="right") - 1]
    return (
        _trapezoid_kwh(knots=knots, watts=np.maximum(knot_watts, 0.0), live=live, at=at),
        _trapezoid_kwh(knots=knots, watts=np.maximum(-knot_watts, 0.0), live=live, at=at),
    )


def _trapezoid_kwh(*, knots: np.ndarray, watts: np.ndarray, live: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Integral of a piecewise-linear, non-negative power from the first knot up to each instant of `at`."""
    segment_joules = np.diff(knots) * (watts[:-1] + watts[1:]) / 2 * live
    cumulative = np.concatenate([[0.0], np.cumsum(segment_joules)])
    moment = np.clip(at, knots[0], knots[-1])
    segment = np.clip(np.searchsorted(knots, moment, side="right") - 1, 0, live.size - 1)
    watts_then = np.interp(moment, knots, watts)
    partial = (moment - knots[segment]) * (watts[segment] + watts_then) / 2 * live[segment]
    return (cumulative[segment] + partial) / JOULES_PER_KWH
