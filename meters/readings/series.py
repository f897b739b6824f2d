"""Reads of the readings store: one metric's series of one device (every value, or grouped by bucket), its
aggregates and percentiles, and each device's latest values.

Every read covers both parts of the store: meters_reading (hot) and the packed chunks (cold, chunks.py),
merged in time order; a hot reading wins over a packed one at the same time.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

import numpy as np
from django.db import connection, transaction

from meters.models import MetricLayout
from meters.readings.chunks import (
    chunks_overlap,
    cold_latest,
    cold_metric_points,
    cold_rows,
    micros_moment,
    rows_merge,
    times_absent,
)
from pieng.timebounds import FAR_FUTURE, FAR_PAST

# One metric of one device in [start, end): its position in each layout that has it picks the value.
METRIC_POINTS = """
    SELECT r.ts, r."values"[l.position] AS value
    FROM meters_reading r
    JOIN (
        SELECT id, array_position(names, %(metric)s::varchar) AS position
        FROM meters_metriclayout WHERE %(metric)s::varchar = ANY(names)
    ) l ON l.id = r.layout_id
    WHERE r.device_id = %(device_id)s AND r.ts >= %(start)s AND r.ts < %(end)s
"""

# Timestamps travel as epoch seconds: Django's text-mode timestamptz parsing costs ~10 µs a row, ten
# times the whole query, and a day of 30-second readings is 2,880 rows.
SERIES = (
    "SELECT extract(epoch FROM ts)::float8, value FROM ("
    + METRIC_POINTS
    + ") points ORDER BY ts {direction} LIMIT %(limit)s"
)

# The figures of a summary that need every value, computed where the values are: a year of readings is
# aggregated without leaving the database. percentile_cont interpolates as numpy's default does.
AGGREGATES = (
    "WITH points AS ("
    + METRIC_POINTS
    + """), steps AS (
        SELECT value, abs(value - lag(value) OVER (ORDER BY ts)) AS step FROM points
    )
    SELECT count(value), avg(value), stddev_samp(value), min(value), max(value),
        percentile_cont(ARRAY[0.5, 0.05, 0.95]::float8[]) WITHIN GROUP (ORDER BY value),
        avg(step),
        count(*) FILTER (WHERE value < %(lsl)s OR value > %(usl)s)
    FROM steps
"""
)

# Per group of readings (a 15-minute bucket, a local hour or day): count, min, max and sum of the metric;
# the same groups as the rollups' (meters.readings.rollups.METRIC_GROUPS) so that the two add up.
GROUPS = (
    "SELECT extract(epoch FROM {group})::float8, count(value), min(value), max(value), sum(value) FROM ("
    + METRIC_POINTS
    + ") points GROUP BY 1"
)
# A group's start as an SQL expression of a timestamptz column; `%(tz)s` is the client's time zone. Every
# UTC offset in use is a whole number of quarter hours, so a local hour or day is whole buckets.
RESOLUTION_GROUPS = {
    "15m": "date_bin('15 minutes', {column}, TIMESTAMPTZ '2000-01-01Z')",
    "1h": "date_trunc('hour', {column}, %(tz)s)",
    "1d": "date_trunc('day', {column}, %(tz)s)",
}
# What needs every value of a long range: the percentiles and the count outside the limits (the rest of a
# summary comes from the rollups). One sort by value, no sort by time. The metric's position in each layout
# is written into the statement: joined to the layouts, the same sort took four times as long.
PERCENTILES = """
    SELECT percentile_cont(ARRAY[0.5, 0.05, 0.95]::float8[]) WITHIN GROUP (ORDER BY value),
        count(*) FILTER (WHERE value < %(lsl)s OR value > %(usl)s)
    FROM (
        SELECT CASE r.layout_id {positions} END AS value FROM meters_reading r
        WHERE r.device_id = %(device_id)s AND r.ts >= %(start)s AND r.ts < %(end)s
            AND r.layout_id = ANY(%(layout_ids)s)
    ) points
"""
POSITIONS = """
    SELECT id, array_position(names, %(metric)s::varchar) FROM meters_metriclayout
    WHERE %(metric)s::varchar = ANY(names)
"""
# The hot values of the percentiles when part of the range is packed, in no order (a percentile does not
# need one): the time (micros, to drop the packed readings stored again) and the value picked by position.
HOT_VALUES = """
    SELECT (extract(epoch FROM r.ts) * 1000000)::bigint, CASE r.layout_id {positions} END
    FROM meters_reading r
    WHERE r.device_id = %(device_id)s AND r.ts >= %(start)s AND r.ts < %(end)s
        AND r.layout_id = ANY(%(layout_ids)s)
"""
# A month of one metric is 86,400 values: sorted in memory rather than on disk (the default 4 MB is less).
PERCENTILES_WORK_MEM = "SET LOCAL work_mem = '64MB'"

LATEST = """
    SELECT d.id, latest.ts, l.names, latest."values",
        (SELECT max(c.last_ts) FROM meters_coldchunk c WHERE c.device_id = d.id)
    FROM meters_device d
    LEFT JOIN LATERAL (
        SELECT ts, layout_id, "values" FROM meters_reading r
        WHERE r.device_id = d.id ORDER BY ts DESC LIMIT 1
    ) latest ON true
    LEFT JOIN meters_metriclayout l ON l.id = latest.layout_id
    WHERE d.id = ANY(%(device_ids)s)
"""


def metric_series(
    *,
    device_id: int,
    metric: str,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[tuple[datetime, float]]:
    """(ts, value) pairs of one metric in [start, end), oldest first unless asked otherwise."""
    start, end = start or FAR_PAST, end or FAR_FUTURE
    sql = SERIES.format(direction="DESC" if newest_first else "ASC")
    params = {"metric": metric, "device_id": device_id, "start": start, "end": end, "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        points = cursor.fetchall()
    cold_micros, cold_values = cold_metric_points(
        device_id=device_id, metric=metric, start=start, end=end, limit=limit, newest_first=newest_first
    )
    if cold_micros.size:
        # Epoch seconds as the database gives them: micros / 1e6 rounds to the same double. A time read
        # from both (a packing committed between the two reads) is taken from meters_reading.
        hot_times = {epoch for epoch, _ in points}
        cold = zip((cold_micros / 1e6).tolist(), cold_values.tolist(), strict=True)
        points += [point for point in cold if point[0] not in hot_times]
        points.sort(key=lambda point: point[0], reverse=newest_first)
        points = points[:limit]
    return [(datetime.fromtimestamp(epoch, UTC), value) for epoch, value in points]


# Metrics in [start, end) with the `context` readings having each before and after it, in one round trip:
# each part is a range scan of the primary key, tagged with the metric's place in the list.
AROUND = """
    WITH layouts AS MATERIALIZED (
        SELECT m.k, l.id, array_position(l.names, m.name) AS position
        FROM unnest(%(metrics)s::varchar[]) WITH ORDINALITY AS m(name, k)
        JOIN meters_metriclayout l ON m.name = ANY(l.names)
    )
    SELECT points.k, extract(epoch FROM points.ts)::float8, points.value
    FROM generate_series(1, cardinality(%(metrics)s::varchar[])) AS m(k) CROSS JOIN LATERAL (
        (SELECT m.k, r.ts, r."values"[l.position] AS value
            FROM meters_reading r JOIN layouts l ON l.id = r.layout_id AND l.k = m.k
            WHERE r.device_id = %(device_id)s AND r.ts < %(start)s ORDER BY r.ts DESC LIMIT %(context)s)
        UNION ALL
        (SELECT m.k, r.ts, r."values"[l.position]
            FROM meters_reading r JOIN layouts l ON l.id = r.layout_id AND l.k = m.k
            WHERE r.device_id = %(device_id)s AND r.ts >= %(start)s AND r.ts < %(end)s)
        UNION ALL
        (SELECT m.k, r.ts, r."values"[l.position]
            FROM meters_reading r JOIN layouts l ON l.id = r.layout_id AND l.k = m.k
            WHERE r.device_id = %(device_id)s AND r.ts >= %(end)s ORDER BY r.ts LIMIT %(context)s)
    ) points
    ORDER BY points.k, points.ts
"""


@dataclass(frozen=True)
class SeriesArrays:
    """A metric's readings as arrays, for computations over thousands of them: epoch seconds, oldest first,
    and values. Its length is the number of readings."""

    seconds: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return int(self.seconds.size)


def metrics_series_around(
    *, device_id: int, metrics: list[str], start: datetime, end: datetime, context: int
) -> dict[str, SeriesArrays]:
    """Each metric in [start, end) and the `context` readings with it on each side, as arrays: no datetime
    is made for each of thousands of readings that a computation turns back into numbers."""
    params = {"metrics": metrics, "device_id": device_id, "start": start, "end": end, "context": context}
    with connection.cursor() as cursor:
        cursor.execute(AROUND, params)
        rows = np.array(cursor.fetchall(), dtype=float).reshape(-1, 3)
    place = rows[:, 0]
    hot = {
        metric: SeriesArrays(seconds=rows[place == k, 1], values=rows[place == k, 2])
        for k, metric in enumerate(metrics, start=1)
    }
    low, high = _around_span(hot.values(), start=start, end=end, context=context)
    if not chunks_overlap(device_id=device_id, start=low, end=high):
        return hot
    # Packed days within reach: each metric read again through the reads that merge hot and cold.
    return {
        metric: _series_around_merged(
            device_id=device_id, metric=metric, start=start, end=end, context=context
        )
        for metric in metrics
    }


def _around_span(series, *, start: datetime, end: datetime, context: int) -> tuple[datetime, datetime]:
    """The times the hot readings' context reaches: open-ended on a side where a metric lacks readings."""
    start_s, end_s = start.timestamp(), end.timestamp()
    lows, highs = [start_s], [end_s]
    for points in series:
        before = points.seconds[points.seconds < start_s]
        after = points.seconds[points.seconds >= end_s]
        lows.append(before.min() if before.size >= context else None)
        highs.append(after.max() if after.size >= context else None)
    low = FAR_PAST if None in lows else datetime.fromtimestamp(min(lows), UTC)
    high = FAR_FUTURE if None in highs else datetime.fromtimestamp(max(highs), UTC)
    return low, high


def _series_around_merged(
    *, device_id: int, metric: str, start: datetime, end: datetime, context: int
) -> SeriesArrays:
    around = {"device_id": device_id, "metric": metric}
    before = metric_series(**around, end=start, limit=context, newest_first=True)[::-1]
    after = metric_series(**around, start=end, limit=context)
    seconds, values = metric_arrays(**around, start=start, end=end)
    return SeriesArrays(
        seconds=np.concatenate(
            [[ts.timestamp() for ts, _ in before], seconds, [ts.timestamp() for ts, _ in after]]
        ),
        values=np.concatenate([[value for _, value in before], values, [value for _, value in after]]),
    )


def metric_aggregates(
    *,
    device_id: int,
    metric: str,
    start: datetime | None,
    end: datetime | None,
    lsl: float | None,
    usl: float | None,
) -> dict:
    """Count, mean, sample std, min, max, [median, p05, p95], the mean absolute step between consecutive
    values and how many values are outside [lsl, usl], of one metric in [start, end)."""
    start, end = start or FAR_PAST, end or FAR_FUTURE
    if chunks_overlap(device_id=device_id, start=start, end=end):
        _, values = metric_arrays(device_id=device_id, metric=metric, start=start, end=end)
        return _aggregates(values=values, lsl=lsl, usl=usl)
    params = {"metric": metric, "device_id": device_id, "start": start, "end": end, "lsl": lsl, "usl": usl}
    with connection.cursor() as cursor:
        cursor.execute(AGGREGATES, params)
        count, mean, std, minimum, maximum, percentiles, step, outside = cursor.fetchone()
    return {
        "count": count,
        "mean": mean,
        "std": std,
        "minimum": minimum,
        "maximum": maximum,
        "percentiles": percentiles or [None, None, None],
        "mean_moving_range": step,
        "outside": outside,
    }


def metric_groups(
    *, device_id: int, metric: str, start: datetime, end: datetime, resolution: str, time_zone: str
) -> list[tuple]:
    """(group start epoch, count, min, max, sum) of the metric's readings in [start, end), per group of
    `resolution` (a key of RESOLUTION_GROUPS) in `time_zone`."""
    if chunks_overlap(device_id=device_id, start=start, end=end):
        epochs, values = metric_arrays(device_id=device_id, metric=metric, start=start, end=end)
        return _groups(epochs=epochs, values=values, resolution=resolution, time_zone=time_zone)
    sql = GROUPS.format(group=RESOLUTION_GROUPS[resolution].format(column="ts"))
    params = {"metric": metric, "device_id": device_id, "start": start, "end": end, "tz": time_zone}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def metric_percentiles(
    *, device_id: int, metric: str, start: datetime, end: datetime, lsl: float | None, usl: float | None
) -> tuple[list, int]:
    """[median, p05, p95] of the metric in [start, end) and how many values are outside [lsl, usl]."""
    packed = chunks_overlap(device_id=device_id, start=start, end=end)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(POSITIONS, {"metric": metric})
        positions = cursor.fetchall()
        if not positions:
            return [None, None, None], 0
        cases = " ".join(
            f'WHEN {int(layout_id)} THEN r."values"[{int(index)}]' for layout_id, index in positions
        )
        params = {
            "device_id": device_id,
            "start": start,
            "end": end,
            "lsl": lsl,
            "usl": usl,
            "layout_ids": [layout_id for layout_id, _ in positions],
        }
        if packed:
            cursor.execute(HOT_VALUES.format(positions=cases), params)
            hot = cursor.fetchall()
        else:
            cursor.execute(PERCENTILES_WORK_MEM)
            cursor.execute(PERCENTILES.format(positions=cases), params)
            percentiles, outside = cursor.fetchone()
            return percentiles or [None, None, None], outside
    # Only the values matter here, in any order: no sort by time, and the hot rows' values picked by
    # position rather than joined to the layouts (half the time of METRIC_POINTS' read of a month).
    hot_micros = np.fromiter((micros for micros, _ in hot), dtype=np.int64, count=len(hot))
    hot_values = np.fromiter((value for _, value in hot), dtype=float, count=len(hot))
    cold_micros, cold_values = cold_metric_points(
        device_id=device_id, metric=metric, start=start, end=end, limit=None, newest_first=False
    )
    values = np.concatenate([hot_values, cold_values[times_absent(times=cold_micros, among=hot_micros)]])
    return _percentiles_outside(values=values, lsl=lsl, usl=usl)


def metric_arrays(
    *, device_id: int, metric: str, start: datetime, end: datetime
) -> tuple[np.ndarray, np.ndarray]:
    """Epoch seconds and values of the metric in [start, end), hot and packed, in time order: what the
    statements over METRIC_POINTS read, for computing their figures when part of the range is packed."""
    params = {"metric": metric, "device_id": device_id, "start": start, "end": end, "limit": None}
    with connection.cursor() as cursor:
        cursor.execute(SERIES.format(direction="ASC"), params)
        hot = np.array(cursor.fetchall(), dtype=float).reshape(-1, 2)
    cold_micros, cold_values = cold_metric_points(
        device_id=device_id, metric=metric, start=start, end=end, limit=None, newest_first=False
    )
    cold_epochs = cold_micros / 1e6
    keep = times_absent(times=cold_epochs, among=hot[:, 0])
    epochs = np.concatenate([hot[:, 0], cold_epochs[keep]])
    values = np.concatenate([hot[:, 1], cold_values[keep]])
    order = np.argsort(epochs, kind="stable")
    return epochs[order], values[order]


def _groups(*, epochs: np.ndarray, values: np.ndarray, resolution: str, time_zone: str) -> list[tuple]:
    """GROUPS' rows computed from the values: (group start epoch, count, min, max, sum)."""
    if resolution == "15m":
        keys = np.floor(epochs / 900.0) * 900.0
    else:
        # As date_trunc in the zone: the local wall time truncated, read back in the zone (the fold keeps
        # the two hours that share a label when the clocks go back apart).
        zone = zoneinfo.ZoneInfo(time_zone)
        fields = {"minute": 0, "second": 0, "microsecond": 0} | ({} if resolution == "1h" else {"hour": 0})
        keys = np.array(
            [datetime.fromtimestamp(epoch, zone).replace(**fields).timestamp() for epoch in epochs.tolist()]
        )
    groups, inverse = np.unique(keys, return_inverse=True)
    counts = np.bincount(inverse, minlength=groups.size)
    sums = np.bincount(inverse, weights=values, minlength=groups.size)
    lows, highs = np.full(groups.size, np.inf), np.full(groups.size, -np.inf)
    np.minimum.at(lows, inverse, values)
    np.maximum.at(highs, inverse, values)
    return list(
        zip(groups.tolist(), counts.tolist(), lows.tolist(), highs.tolist(), sums.tolist(), strict=True)
    )


def _aggregates(*, values: np.ndarray, lsl: float | None, usl: float | None) -> dict:
    """AGGREGATES' figures of values in time order, computed by numpy as the database does (sample standard
    deviation, linear percentiles); equal to the database's to float rounding."""
    count = int(values.size)
    percentiles, outside = _percentiles_outside(values=values, lsl=lsl, usl=usl)
    return {
        "count": count,
        "mean": float(values.mean()) if count else None,
        "std": float(values.std(ddof=1)) if count > 1 else None,
        "minimum": float(values.min()) if count else None,
        "maximum": float(values.max()) if count else None,
        "percentiles": percentiles,
        "mean_moving_range": float(np.abs(np.diff(values)).mean()) if count > 1 else None,
        "outside": outside,
    }


def _percentiles_outside(*, values: np.ndarray, lsl: float | None, usl: float | None) -> tuple[list, int]:
    """[median, p05, p95] of values in any order (linear, as percentile_cont) and how many are outside
    [lsl, usl]."""
    outside = np.zeros(values.size, dtype=bool)
    if lsl is not None:
        outside |= values < lsl
    if usl is not None:
        outside |= values > usl
    percentiles = np.percentile(values, [50, 5, 95]).tolist() if values.size else [None, None, None]
    return percentiles, int(outside.sum())


def readings_latest(*, device_ids: list[int]) -> dict[int, tuple[datetime, dict[str, float]]]:
    """Each device's most recent reading: device id -> (ts, {metric: value})."""
    with connection.cursor() as cursor:
        cursor.execute(LATEST, {"device_ids": list(device_ids)})
        rows = cursor.fetchall()
    latest = {}
    for device_id, ts, names, values, cold_last in rows:
        if cold_last is not None and (ts is None or cold_last > ts):
            # The device has sent nothing since its last packed day.
            micros, layout_id, values = cold_latest(device_id=device_id)
            ts, names = micros_moment(micros), MetricLayout.objects.get(pk=layout_id).names
        if ts is not None:
            latest[device_id] = (ts, dict(zip(names, values, strict=True)))
    return latest


LAST_TS = """
    SELECT d.id, greatest(
        (SELECT max(r.ts) FROM meters_reading r WHERE r.device_id = d.id),
        (SELECT max(c.last_ts) FROM meters_coldchunk c WHERE c.device_id = d.id)
    )
    FROM meters_device d WHERE d.id = ANY(%(device_ids)s)
"""


def readings_last_ts(*, device_ids: list[int]) -> dict[int, datetime]:
    """Each device's newest reading time; devices without readings are left out."""
    with connection.cursor() as cursor:
        cursor.execute(LAST_TS, {"device_ids": list(device_ids)})
        return {device_id: ts for device_id, ts in cursor.fetchall() if ts is not None}


RECENT = """
    SELECT r.ts, l.names, r."values"
    FROM meters_reading r JOIN meters_metriclayout l ON l.id = r.layout_id
    WHERE r.device_id = %(device_id)s
    ORDER BY r.ts DESC
    LIMIT %(limit)s
"""


def readings_recent(*, device_id: int, limit: int) -> list[tuple[datetime, dict[str, float]]]:
    """The device's `limit` most recent readings, newest first: (ts, {metric: value})."""
    with connection.cursor() as cursor:
        cursor.execute(RECENT, {"device_id": device_id, "limit": limit})
        hot = cursor.fetchall()
    layouts: dict[int, list[str]] = {}
    cold = (
        (micros_moment(micros), layouts.get(layout_id) or _layout_names(layout_id, layouts), values)
        for micros, layout_id, values in cold_rows(
            device_id=device_id, start=FAR_PAST, end=FAR_FUTURE, newest_first=True
        )
    )
    rows = islice(rows_merge(hot, cold, newest_first=True), limit)
    return [(ts, dict(zip(names, values, strict=True))) for ts, names, values in rows]


def _layout_names(layout_id: int, layouts: dict[int, list[str]]) -> list[str]:
    layouts[layout_id] = MetricLayout.objects.get(pk=layout_id).names
    return layouts[layout_id]
