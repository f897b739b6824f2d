"""Closing rollup buckets: each device's energy per 15-minute bucket, computed from its readings by the
energy rules, and every metric's statistics per bucket, stored so that long ranges never walk the readings
(docs/readings-store.md).

Work goes one day of buckets at a time, each in its own transaction that locks the device's state, so a
close is resumable (a killed run leaves every finished day closed) and idempotent (a bucket is replaced,
never added to), and a late reading stored meanwhile re-opens what it changes once the day commits.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction

from analytics.energy import energy_per_bucket
from analytics.selectors import energy_series_all
from meters.models import Device
from meters.readings.chunks import chunks_drop_older, chunks_pack
from meters.readings.rollups import (
    BUCKET,
    BUCKETS_PER_DAY,
    DAY,
    bucket_floor,
    day_floor,
    readings_exist_since,
    readings_matrix,
    rollup_energy_replace,
    rollup_metrics_replace,
    rollup_state_lock,
    rollup_state_reopen,
    rollup_state_set,
)


@dataclass(frozen=True)
class MaintenanceResult:
    buckets: int
    days_packed: int
    readings_packed: int
    chunks_dropped: int


def readings_maintenance_run(*, now: datetime) -> MaintenanceResult:
    """The daily maintenance of the client's readings: close the rollup buckets, then pack the readings of
    the UTC days that ended READINGS_COLD_AFTER ago into cold chunks (after the rollups, which read them
    either way), then drop the chunks older than READINGS_RETENTION_DAYS. Every step commits as it goes, so
    a run cut short is finished by the next one, and a second run finds nothing to do."""
    days = readings = 0
    buckets = rollups_close_all(now=now)
    for device_id in Device.objects.values_list("pk", flat=True):
        packed = chunks_pack(device_id=device_id, before=now - settings.READINGS_COLD_AFTER)
        days, readings = days + packed.days, readings + packed.readings
    dropped = 0
    if settings.READINGS_RETENTION_DAYS is not None:
        dropped = chunks_drop_older(before=now - timedelta(days=settings.READINGS_RETENTION_DAYS))
    return MaintenanceResult(
        buckets=buckets, days_packed=days, readings_packed=readings, chunks_dropped=dropped
    )


def rollups_close_all(*, now: datetime) -> int:
    """Close the buckets of every device of the client up to ROLLUPS_CLOSE_AFTER before `now`; returns
    how many were written."""
    until = now - settings.ROLLUPS_CLOSE_AFTER
    return sum(
        rollups_close(device_id=device_id, until=until)
        for device_id in Device.objects.values_list("pk", flat=True)
    )


def rollups_close(*, device_id: int, until: datetime) -> int:
    """Close the device's buckets up to `until` (rounded down to a bucket); returns how many were written."""
    until = bucket_floor(moment=until)
    written = 0
    while True:
        with transaction.atomic():
            start = rollup_state_lock(device_id=device_id)
            if start is None or start >= until:
                return written
            # A chunk ends at the next UTC midnight: the metric rows of its day are recomputed whole.
            # After the last reading every bucket is empty: it is closed in one go and none is written
            # (an empty bucket and a missing one sum the same).
            if readings_exist_since(device_id=device_id, since=start):
                end = min(day_floor(moment=start) + DAY, until)
                written += _chunk_close(device_id=device_id, start=start, end=end)
            else:
                end = until
                _chunk_clear(device_id=device_id, start=start, end=end)
            rollup_state_set(device_id=device_id, closed_until=end)


def rollups_reopen(*, device_ids: list[int], since: datetime | None) -> None:
    """Re-open every bucket from `since` on (all of them without it), so that the next close recomputes
    them from the readings."""
    rollup_state_reopen(device_ids=device_ids, since=since)


def _chunk_clear(*, device_id: int, start: datetime, end: datetime) -> None:
    """No readings from `start` on: the buckets of [start, end) hold nothing, whatever a re-opened stretch
    held before; the metric rows of the first day keep their buckets before `start`."""
    empty = np.array([])
    rollup_energy_replace(
        device_id=device_id, start=start, end=end, bucket_starts=empty, import_kwh=empty, export_kwh=empty
    )
    _metric_days_close(device_id=device_id, start=start, end=end)


def _metric_days_close(*, device_id: int, start: datetime, end: datetime) -> None:
    # The metric rows of the stretch's days are recomputed whole from the readings, from the first
    # midnight on: its buckets before `start` come out as they were closed.
    day = day_floor(moment=start)
    epochs, names, matrix = readings_matrix(device_id=device_id, start=day, end=end)
    rollup_metrics_replace(
        device_id=device_id,
        start=day,
        end=end,
        rows=metric_day_rows(epochs=epochs, names=names, matrix=matrix),
    )


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
    _metric_days_close(device_id=device_id, start=start, end=end)
    return edges.size - 1


STATISTICS = ("counts", "minimums", "maximums", "sums", "firsts", "lasts", "squared_deviations", "step_sums")


def metric_day_rows(*, epochs: np.ndarray, names: list[str], matrix: np.ndarray) -> list[tuple]:
    """Per metric and UTC day with values: (metric, day start epoch, *STATISTICS), each a list of the day's
    96 buckets (count 0 and None where the bucket has no value of the metric)."""
    if not epochs.size:
        return []
    stats = metric_buckets(epochs=epochs, matrix=matrix)
    seconds = BUCKET.total_seconds()
    bucket_index = (stats["buckets"] // seconds).astype(np.int64)
    days, slots = np.divmod(bucket_index, BUCKETS_PER_DAY)
    rows = []
    for day in np.unique(days):
        of_day = days == day
        for column, name in enumerate(names):
            counts = stats["counts"][of_day, column]
            if not counts.any():
                continue
            arrays = []
            for key in STATISTICS:
                full = np.zeros(BUCKETS_PER_DAY) if key == "counts" else np.full(BUCKETS_PER_DAY, np.nan)
                full[slots[of_day]] = stats[key][of_day, column]
                if key == "counts":
                    arrays.append(full.astype(int).tolist())
                else:
                    arrays.append([None if value != value else value for value in full.tolist()])
            rows.append((name, float(day * BUCKETS_PER_DAY * seconds), *arrays))
    return rows


def metric_buckets(*, epochs: np.ndarray, matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Per 15-minute bucket with readings (`buckets`: their starts, epoch seconds) and metric (columns of
    `matrix`, readings x metrics in time order, NaN where a reading lacks a metric): its count, min, max,
    sum, first, last, squared deviations from its mean and sum of absolute steps between consecutive
    values (NaN where the bucket has no value of the metric)."""
    seconds = BUCKET.total_seconds()
    bucket_of = np.floor(epochs / seconds).astype(np.int64)
    buckets, starts = np.unique(bucket_of, return_index=True)
    position = np.repeat(np.arange(buckets.size), np.diff(np.append(starts, epochs.size)))
    present = ~np.isnan(matrix)
    values = np.where(present, matrix, 0.0)
    counts = np.add.reduceat(present.astype(np.int64), starts, axis=0)
    empty = counts == 0
    sums = np.add.reduceat(values, starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    deviations = np.where(present, matrix - means[position], 0.0)
    rows = np.arange(epochs.size)[:, None]
    first_row = np.minimum.reduceat(np.where(present, rows, epochs.size - 1), starts, axis=0)
    last_row = np.maximum.reduceat(np.where(present, rows, 0), starts, axis=0)
    columns = np.arange(matrix.shape[1])[None, :]
    steps = np.zeros_like(sums)
    for column in range(matrix.shape[1]):
        # Consecutive values of the metric: readings without it are skipped, as a series of it skips them.
        have = present[:, column]
        where, series = position[have], matrix[have, column]
        same = where[1:] == where[:-1]
        steps[:, column] = np.bincount(
            where[1:][same], weights=np.abs(np.diff(series))[same], minlength=buckets.size
        )
    stats = {
        "counts": counts,
        "minimums": np.fmin.reduceat(matrix, starts, axis=0),
        "maximums": np.fmax.reduceat(matrix, starts, axis=0),
        "sums": sums,
        "firsts": matrix[first_row, columns],
        "lasts": matrix[last_row, columns],
        "squared_deviations": np.add.reduceat(deviations * deviations, starts, axis=0),
        "step_sums": steps,
    }
    for key in STATISTICS[1:]:
        stats[key] = np.where(empty, np.nan, stats[key])
    return {"buckets": buckets * seconds, **stats}
