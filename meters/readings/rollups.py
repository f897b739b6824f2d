"""The rollup tables: each device's energy and metric statistics per 15-minute bucket, and how far its
buckets are closed.

What goes into a bucket is decided by analytics (the energy rules, the statistics); this module only reads
and writes the rows, in the client's schema of the connection.
"""

from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection

from meters.readings.rows import readings_rows

BUCKET = timedelta(minutes=15)
_BUCKET_SECONDS = BUCKET.total_seconds()
DAY = timedelta(days=1)
BUCKETS_PER_DAY = DAY // BUCKET

# Summed by the database between consecutive edges: a year of buckets never leaves it.
# Compared as timestamps: extract(epoch) makes a numeric of every bucket, half the query's time over a year.
SUMS = """
    SELECT width_bucket(bucket, %(edges)s::timestamptz[]), sum(import_kwh), sum(export_kwh)
    FROM meters_energyrollup
    WHERE device_id = %(device_id)s AND bucket >= %(first)s AND bucket < %(last)s
    GROUP BY 1
"""
CLEAR = """
    DELETE FROM meters_energyrollup
    WHERE device_id = %(device_id)s AND bucket >= %(start)s AND bucket < %(end)s
"""
INSERT = """
    INSERT INTO meters_energyrollup (device_id, bucket, import_kwh, export_kwh)
    SELECT %(device_id)s, to_timestamp(b), i, e
    FROM unnest(%(buckets)s::float8[], %(imports)s::float8[], %(exports)s::float8[]) AS t(b, i, e)
"""
# The device's first reading, hot or packed.
FIRST_READING = """least(
    (SELECT min(ts) FROM meters_reading WHERE device_id = %(device_id)s),
    (SELECT min(first_ts) FROM meters_coldchunk WHERE device_id = %(device_id)s)
)"""
# The state row is locked while a chunk is closed: a late reading's re-opening waits for the chunk to
# commit and then moves closed_until back, so it is never overwritten by a close that did not see it.
STATE_MAKE = (
    """
    INSERT INTO meters_rollupstate (device_id, closed_until)
    SELECT %(device_id)s, date_bin('15 minutes', first, TIMESTAMPTZ '2000-01-01Z')
    FROM (SELECT """
    + FIRST_READING
    + """ AS first) readings
    WHERE first IS NOT NULL
        AND NOT EXISTS (SELECT FROM meters_rollupstate WHERE device_id = %(device_id)s)
    ON CONFLICT (device_id) DO NOTHING
"""
)
STATE_LOCK = (
    "SELECT greatest(closed_until, "
    + FIRST_READING
    + ") FROM meters_rollupstate WHERE device_id = %(device_id)s FOR UPDATE"
)
STATE_SET = "UPDATE meters_rollupstate SET closed_until = %(closed_until)s WHERE device_id = %(device_id)s"
STATE_REOPEN = """
    UPDATE meters_rollupstate SET closed_until = %(since)s
    WHERE device_id = ANY(%(device_ids)s) AND closed_until > %(since)s
"""
STATE_FORGET = (
    "DELETE FROM meters_rollupstate WHERE device_id = ANY(%(device_ids)s)",
    "DELETE FROM meters_energyrollup WHERE device_id = ANY(%(device_ids)s)",
    "DELETE FROM meters_metricrollup WHERE device_id = ANY(%(device_ids)s)",
)
READINGS_SINCE = """
    SELECT EXISTS (SELECT FROM meters_reading WHERE device_id = %(device_id)s AND ts >= %(since)s)
        OR EXISTS (SELECT FROM meters_coldchunk WHERE device_id = %(device_id)s AND last_ts >= %(since)s)
"""
CLOSED_UNTIL = "SELECT closed_until FROM meters_rollupstate WHERE device_id = %(device_id)s"


def bucket_floor(*, moment: datetime) -> datetime:
    return datetime.fromtimestamp(moment.timestamp() // _BUCKET_SECONDS * _BUCKET_SECONDS, UTC)


def day_floor(*, moment: datetime) -> datetime:
    """The UTC midnight at or before `moment`: metric rollups are stored a row per metric and UTC day."""
    return datetime.fromtimestamp(moment.timestamp() // DAY.total_seconds() * DAY.total_seconds(), UTC)


def bucket_ceil(*, moment: datetime) -> datetime:
    return datetime.fromtimestamp(-(-moment.timestamp() // _BUCKET_SECONDS) * _BUCKET_SECONDS, UTC)


def rollup_closed_until(*, device_id: int) -> datetime | None:
    with connection.cursor() as cursor:
        cursor.execute(CLOSED_UNTIL, {"device_id": device_id})
        row = cursor.fetchone()
    return row and row[0]


def rollup_state_lock(*, device_id: int) -> datetime | None:
    """Lock the device's rollup state for this transaction and return where its open buckets start (never
    before its first reading); None when the device has no readings."""
    with connection.cursor() as cursor:
        cursor.execute(STATE_MAKE, {"device_id": device_id})
        cursor.execute(STATE_LOCK, {"device_id": device_id})
        row = cursor.fetchone()
    return row and bucket_floor(moment=row[0])


def readings_exist_since(*, device_id: int, since: datetime) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(READINGS_SINCE, {"device_id": device_id, "since": since})
        return cursor.fetchone()[0]


def rollup_state_set(*, device_id: int, closed_until: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(STATE_SET, {"device_id": device_id, "closed_until": closed_until})


def rollup_state_reopen(*, device_ids: list[int], since: datetime | None) -> None:
    """Re-open every bucket from `since` on, or all of them (a rebuild); states already open further back
    stay so."""
    with connection.cursor() as cursor:
        if since is None:
            for sql in STATE_FORGET:
                cursor.execute(sql, {"device_ids": device_ids})
        else:
            cursor.execute(STATE_REOPEN, {"device_ids": device_ids, "since": bucket_floor(moment=since)})


def rollup_energy_sums(*, device_id: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Imported and exported kWh of the device's buckets between each two consecutive `edges` (ascending
    epoch seconds)."""
    moments = [datetime.fromtimestamp(edge, UTC) for edge in edges.tolist()]
    params = {"device_id": device_id, "edges": moments, "first": moments[0], "last": moments[-1]}
    with connection.cursor() as cursor:
        cursor.execute(SUMS, params)
        rows = cursor.fetchall()
    imported, exported = np.zeros(edges.size - 1), np.zeros(edges.size - 1)
    for index, import_kwh, export_kwh in rows:
        imported[index - 1], exported[index - 1] = import_kwh, export_kwh
    return imported, exported


def rollup_energy_replace(
    *,
    device_id: int,
    start: datetime,
    end: datetime,
    bucket_starts: np.ndarray,
    import_kwh: np.ndarray,
    export_kwh: np.ndarray,
) -> None:
    """The buckets in [start, end) become exactly the ones given."""
    with connection.cursor() as cursor:
        cursor.execute(CLEAR, {"device_id": device_id, "start": start, "end": end})
        cursor.execute(
            INSERT,
            {
                "device_id": device_id,
                "buckets": bucket_starts.tolist(),
                "imports": import_kwh.tolist(),
                "exports": export_kwh.tolist(),
            },
        )


# Every value of a stretch of readings, for the statistics of its buckets.
LAYOUT_NAMES = "SELECT id, names FROM meters_metriclayout WHERE id = ANY(%(ids)s)"
METRIC_CLEAR = """
    DELETE FROM meters_metricrollup
    WHERE device_id = %(device_id)s AND day >= %(start)s AND day < %(end)s
"""
# Binary COPY: psycopg quotes array parameters in Python, a tenth of a second a device-day.
METRIC_COPY = """
    COPY meters_metricrollup (device_id, metric, day, counts, minimums, maximums, sums, firsts, lasts,
        squared_deviations, step_sums) FROM STDIN (FORMAT BINARY)
"""
METRIC_COPY_TYPES = ["int8", "varchar", "timestamptz", "int4[]"] + ["float8[]"] * 7
# One metric's non-empty buckets in [start, end): a row a day, its arrays unnested by bucket. Only the
# arrays asked for are unnested: each is decompressed whole.
METRIC_BUCKETS = """
    SELECT r.day + (u.i - 1) * INTERVAL '15 minutes' AS bucket, {columns}
    FROM meters_metricrollup r, unnest({arrays}) WITH ORDINALITY AS u({columns}, i)
    WHERE r.device_id = %(device_id)s AND r.metric = %(metric)s
        AND r.day > %(start)s - INTERVAL '1 day' AND r.day < %(end)s AND u.n > 0
        AND r.day + (u.i - 1) * INTERVAL '15 minutes' >= %(start)s
        AND r.day + (u.i - 1) * INTERVAL '15 minutes' < %(end)s
"""
ALL_BUCKET_COLUMNS = {
    "n": "counts",
    "low": "minimums",
    "high": "maximums",
    "total": "sums",
    "first": "firsts",
    "last": "lasts",
    "m2": "squared_deviations",
    "steps": "step_sums",
}


def _metric_buckets(*columns: str) -> str:
    return METRIC_BUCKETS.format(
        columns=", ".join(columns), arrays=", ".join(f"r.{ALL_BUCKET_COLUMNS[column]}" for column in columns)
    )


# The buckets combined in the database: squared deviations about each bucket's mean moved to the overall
# mean (Chan et al.'s parallel variance), and the steps between buckets from each one's last value to the
# next one's first, as consecutive readings would give them. The overall mean is a scalar subquery (an
# InitPlan, computed once): joined as a one-row relation, a planner that expects one bucket (no statistics
# yet on freshly written rollups) re-aggregated it for every bucket, 1 s for a month instead of 10 ms.
METRIC_TOTALS = (
    "WITH b AS ("
    + _metric_buckets(*ALL_BUCKET_COLUMNS)
    + """), ordered AS (SELECT b.*, lag(last) OVER (ORDER BY bucket) AS previous FROM b)
    SELECT sum(n), sum(total), min(low), max(high),
        sum(m2 + n * (total / n - (SELECT sum(total) / sum(n) FROM b)) ^ 2),
        sum(steps) + coalesce(sum(abs(first - previous)), 0),
        (array_agg(first ORDER BY bucket))[1], (array_agg(last ORDER BY bucket DESC))[1]
    FROM ordered
"""
)
# Per group of buckets (a local hour or day, or the bucket itself): count, min, max and sum.
METRIC_GROUPS = (
    "SELECT extract(epoch FROM {group})::float8, sum(n), min(low), max(high), sum(total) FROM ("
    + _metric_buckets("n", "low", "high", "total")
    + ") b GROUP BY 1"
)


def readings_matrix(*, device_id: int, start: datetime, end: datetime) -> tuple[np.ndarray, list, np.ndarray]:
    """The device's readings in [start, end): their times (epoch seconds), the sorted union of their metric
    names, and a (readings x names) matrix with NaN where a reading lacks a metric (stored values are
    never NaN: ingest refuses them)."""
    # Hot and packed readings alike; epoch seconds as the database gives them (micros / 1e6 is the same
    # double).
    rows = [
        (micros / 1e6, layout_id, values)
        for micros, layout_id, values in readings_rows(device_id=device_id, start=start, end=end)
    ]
    with connection.cursor() as cursor:
        layout_ids = sorted({layout_id for _, layout_id, _ in rows})
        cursor.execute(LAYOUT_NAMES, {"ids": layout_ids})
        names_of = dict(cursor.fetchall())
    names = sorted({name for layout_id in layout_ids for name in names_of[layout_id]})
    epochs = np.array([epoch for epoch, _, _ in rows], dtype=float)
    matrix = np.full((len(rows), len(names)), np.nan)
    if len(layout_ids) == 1:
        if rows:
            matrix[:] = np.array([values for _, _, values in rows], dtype=float)
        return epochs, names, matrix
    column = {name: index for index, name in enumerate(names)}
    positions = {layout_id: [column[name] for name in names_of[layout_id]] for layout_id in layout_ids}
    for index, (_, layout_id, values) in enumerate(rows):
        matrix[index, positions[layout_id]] = values
    return epochs, names, matrix


def rollup_metrics_replace(*, device_id: int, start: datetime, end: datetime, rows: list[tuple]) -> None:
    """The metric rows of the UTC days starting in [start, end) become exactly the ones given: (metric,
    day start epoch, counts, minimums, maximums, sums, firsts, lasts, squared deviations, step sums)."""
    with connection.cursor() as cursor:
        cursor.execute(METRIC_CLEAR, {"device_id": device_id, "start": start, "end": end})
        if rows:
            with cursor.copy(METRIC_COPY) as copy:
                copy.set_types(METRIC_COPY_TYPES)
                for metric, day, *arrays in rows:
                    copy.write_row((device_id, metric, datetime.fromtimestamp(day, UTC), *arrays))


def rollup_metric_totals(*, device_id: int, metric: str, start: datetime, end: datetime) -> dict | None:
    """The metric's buckets in [start, end) combined: count, sum, min, max, squared deviations about the
    mean, sum of absolute steps between consecutive values, first and last value; None without values."""
    params = {"device_id": device_id, "metric": metric, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(METRIC_TOTALS, params)
        row = cursor.fetchone()
    if not row[0]:
        return None
    return dict(zip(("count", "sum", "min", "max", "m2", "steps", "first", "last"), row, strict=True))


def rollup_metric_groups(
    *, device_id: int, metric: str, start: datetime, end: datetime, group: str, time_zone: str
) -> list[tuple]:
    """(group start epoch, count, min, max, sum) of the metric's buckets in [start, end), grouped by
    `group` (an SQL expression of `bucket` and `%(tz)s`)."""
    params = {"device_id": device_id, "metric": metric, "start": start, "end": end, "tz": time_zone}
    with connection.cursor() as cursor:
        cursor.execute(METRIC_GROUPS.format(group=group.format(column="bucket")), params)
        return cursor.fetchall()
