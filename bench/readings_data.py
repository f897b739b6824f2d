"""Realistic SDM630 readings for the benchmarks: the site simulator's meter sampled every 30 s, each value
rounded to float32 as the meter's registers hold it (what a poll stores).

Simulating a day takes seconds, so a long workload repeats the first `distinct_days` days with the
counters carried on: each period of the cycle continues from where the previous one ended.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

import numpy as np

from meters.simulators import SiteModel
from meters.simulators.devices import Sdm630Simulator

STEP = timedelta(seconds=30)
READINGS_PER_DAY = int(timedelta(days=1) / STEP)


def sdm630_days(
    *, start: datetime, days: int, distinct_days: int = 2, seed: int = 1
) -> Iterator[tuple[list[datetime], list[str], np.ndarray]]:
    """Per day: the reading times, the metric names (sorted) and a (readings x metrics) float64 matrix."""
    now = [start.timestamp()]
    meter = Sdm630Simulator(site=SiteModel(clock=lambda: now[0], seed=seed))
    names = sorted(meter.values())
    counters = np.array(["energy" in name for name in names])
    cycle: list[np.ndarray] = []
    for day in range(min(days, distinct_days)):
        rows = []
        for k in range(READINGS_PER_DAY):
            now[0] = (start + timedelta(days=day) + k * STEP).timestamp()
            values = meter.values()
            rows.append([values[name] for name in names])
        cycle.append(np.asarray(rows, dtype=np.float32).astype(np.float64))
    cycle_rise = np.where(counters, cycle[-1][-1] - cycle[0][0], 0.0) if len(cycle) > 1 else 0.0
    for day in range(days):
        times = [start + timedelta(days=day) + k * STEP for k in range(READINGS_PER_DAY)]
        yield times, names, cycle[day % len(cycle)] + (day // len(cycle)) * cycle_rise
