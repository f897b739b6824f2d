"""Closing rollup buckets: each device's energy per 15-minute bucket, computed from its readings by the
energy rules, and every metric's statistics per bucket, stored so that long ranges never walk the readings
(docs/readings-store.md).

Work goes one day of buckets at a time, each in its own transaction that locks the device's state, so a
close is resumable (a killed run leaves every finished day closed) and idempotent (a bucket is replaced,
never added to), and a late reading stored meanwhile re-opens what it changes once the day commits.
"""

from datetime import datetime, timedelta

import numpy as np
from django.db import transaction

from analytics.energy import energy_per_bucket
from analytics.selectors import energy_series_all
from meters.readings.layouts import layout_id_for
from meters.readings.rollups import (
    BUCKET,
    bucket_floor,
    readings_exist_since,
    readings_matrix,
    rollup_energy_replace,
    rollup_metrics_replace,
    rollup_state_lock,
    rollup_state_reopen,
    rollup_state_set,
)

CHUNK = timedelta(days=1)


def rollups_close(*, device_id: int, until: datetime) -> int:
    """Close the device's buckets up to `until` (rounded down to a bucket); returns how many were written."""
    until = bucket_floor(moment=until)
    written = 0
    while True:
        with transaction.atomic():
            start = rollup_state_lock(device_id=device_id)
            if start is None or start >= until:
                return written
            # After the last reading every bucket is empty: no need to write them (a sum misses nothing).
            end = (
                min(start + CHUNK, until) if readings_exist_since(device_id=device_id, since=start) else until
            )
            written += _chunk_close(device_id=device_id, start=start, end=end)
            rollup_state_set(device_id=device_id, closed_until=end)


def rollups_reopen(*, device_ids: list[int], since: datetime | None) -> None:
    """Re-open every bucket from `since` on (all of them without it), so that the next close recomputes
    them from the readings."""
    rollup_state_reopen(device_ids=device_ids, since=since)


def _chunk_close(*, device_id: int, start: datetime, end: datetime) -> int:
    edges = np.arange(start.timestamp(), end.timestamp() + 1, BUCKET.total_seconds())
    import_kwh, export_kwh = energy_per_bucket(
        edges=edges, **energy_series_all(device_id=device_id, start=start, end=end)
    )
    rollup_energy_replace(
        device_id=device_id,
        start=start,
        end=end,
        bucket_starts=edges[:-1],
        import_kwh=import_kwh,
        export_kwh=export_kwh,
    )
    epochs, names, matrix = readings_matrix(device_id=device_id, start=start, end=end)
    rows = [
        (bucket, layout_id_for(tuple(present)), *stats)
        for bucket, present, stats in metric_buckets(epochs=epochs, names=names, matrix=matrix)
    ]
    rollup_metrics_replace(device_id=device_id, start=start, end=end, rows=rows)
    return edges.size - 1


def metric_buckets(*, epochs: np.ndarray, names: list[str], matrix: np.ndarray) -> list[tuple]:
    """Per 15-minute bucket with readings: its start (epoch seconds), the names of the metrics it has, and
    per metric its count, min, max, sum, first, last, squared deviations from its mean and sum of absolute
    steps between consecutive values. `matrix` (readings x names, NaN where a reading lacks a metric) is
    in time order."""
    if not epochs.size:
        return []
    seconds = BUCKET.total_seconds()
    bucket_of = np.floor(epochs / seconds).astype(np.int64)
    buckets, starts = np.unique(bucket_of, return_index=True)
    position = np.repeat(np.arange(buckets.size), np.diff(np.append(starts, epochs.size)))
    present = ~np.isnan(matrix)
    values = np.where(present, matrix, 0.0)
    counts = np.add.reduceat(present.astype(np.int64), starts, axis=0)
    sums = np.add.reduceat(values, starts, axis=0)
    minimums = np.fmin.reduceat(matrix, starts, axis=0)
    maximums = np.fmax.reduceat(matrix, starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    deviations = np.where(present, matrix - means[position], 0.0)
    squared = np.add.reduceat(deviations * deviations, starts, axis=0)
    rows = np.arange(epochs.size)[:, None]
    first_row = np.minimum.reduceat(np.where(present, rows, epochs.size), starts, axis=0)
    last_row = np.maximum.reduceat(np.where(present, rows, -1), starts, axis=0)
    columns = np.arange(len(names))[None, :]
    firsts = matrix[np.minimum(first_row, epochs.size - 1), columns]
    lasts = matrix[np.maximum(last_row, 0), columns]
    steps = np.zeros_like(sums)
    for column in range(len(names)):
        # Consecutive values of the metric: readings without it are skipped, as a series of it skips them.
        have = present[:, column]
        where, series = position[have], matrix[have, column]
        same = where[1:] == where[:-1]
        steps[:, column] = np.bincount(
            where[1:][same], weights=np.abs(np.diff(series))[same], minlength=buckets.size
        )
    result = []
    for index, bucket in enumerate(buckets):
        has = counts[index] > 0
        stats = (counts[index][has].tolist(),) + tuple(
            array[index][has].tolist() for array in (minimums, maximums, sums, firsts, lasts, squared, steps)
        )
        result.append(
            (float(bucket * seconds), [name for name, kept in zip(names, has, strict=True) if kept], stats)
        )
    return result
