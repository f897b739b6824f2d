"""Means of metrics per clock-aligned window, computed by the database: a month of 30-s readings of a site
is aggregated where it is stored, and only one row per device and window comes back."""

from datetime import datetime, timedelta

import numpy as np
from django.db import connection

from meters.readings.chunks import chunks_overlap
from meters.readings.series import metric_arrays
from pieng.timebounds import EPOCH

# Each layout's position of each metric is looked up once, not per reading; a reading without the metric
# gives NULL, which avg() leaves out.
MEANS = """
    SELECT r.device_id, extract(epoch FROM date_bin(%(window)s, r.ts, %(origin)s))::float8,
        {means}
    FROM meters_reading r
    JOIN (SELECT id, {positions} FROM meters_metriclayout) l ON l.id = r.layout_id
    WHERE r.device_id = ANY(%(device_ids)s) AND r.ts >= %(start)s AND r.ts < %(end)s
    GROUP BY 1, 2
    ORDER BY 1, 2
"""


def metric_window_means(
    *,
    device_ids: list[int],
    metrics: list[str],
    start: datetime,
    end: datetime,
    window: timedelta,
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per device with readings in [start, end): the start of each window holding one (epoch seconds,
    ascending) and a (windows x metrics) matrix of the means of its values, NaN where a metric has none.
    Windows are aligned on the epoch, so on every midnight UTC for windows that divide a day (as pandas'
    resample aligns them)."""
    positions = ", ".join(
        f"array_position(names, %(metric_{index})s::varchar) AS p{index}" for index in range(len(metrics))
    )
    means = ", ".join(f'avg(r."values"[l.p{index}])' for index in range(len(metrics)))
    params = {
        "window": window,
        "origin": EPOCH,
        "device_ids": device_ids,
        "start": start,
        "end": end,
        **{f"metric_{index}": metric for index, metric in enumerate(metrics)},
    }
    # A device with packed days in the range has them averaged here from its decoded chunks and readings.
    packed = [
        device_id for device_id in device_ids if chunks_overlap(device_id=device_id, start=start, end=end)
    ]
    params["device_ids"] = [device_id for device_id in device_ids if device_id not in packed]
    with connection.cursor() as cursor:
        cursor.execute(MEANS.format(means=means, positions=positions), params)
        rows = cursor.fetchall()
    windows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for device_id in packed:
        starts, table = _window_means_merged(
            device_id=device_id, metrics=metrics, start=start, end=end, window=window
        )
        if starts.size:
            windows[device_id] = (starts, table)
    if not rows:
        return windows
    device_of = np.array([row[0] for row in rows])
    table = np.array([row[1:] for row in rows], dtype=float)  # None becomes NaN
    for device_id in np.unique(device_of):
        mine = table[device_of == device_id]
        windows[int(device_id)] = (mine[:, 0], mine[:, 1:])
    return windows


def _window_means_merged(
    *, device_id: int, metrics: list[str], start: datetime, end: datetime, window: timedelta
) -> tuple[np.ndarray, np.ndarray]:
    width = window.total_seconds()
    series = [metric_arrays(device_id=device_id, metric=metric, start=start, end=end) for metric in metrics]
    starts = np.unique(np.concatenate([np.floor(times / width) * width for times, _ in series]))
    table = np.full((starts.size, len(metrics)), np.nan)
    for column, (times, values) in enumerate(series):
        if not times.size:
            continue
        place = np.searchsorted(starts, np.floor(times / width) * width)
        counts = np.bincount(place, minlength=starts.size)
        sums = np.bincount(place, weights=values, minlength=starts.size)
        with np.errstate(invalid="ignore", divide="ignore"):
            table[:, column] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return starts, table
