"""The rollup tables: each device's energy per 15-minute bucket and how far its buckets are closed.

What goes into a bucket is decided by analytics (the energy rules); this module only reads and writes the
rows, in the client's schema of the connection.
"""

from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection

BUCKET = timedelta(minutes=15)
_BUCKET_SECONDS = BUCKET.total_seconds()

# Summed by the database between consecutive edges: a year of buckets never leaves it.
SUMS = """
    SELECT width_bucket(extract(epoch FROM bucket)::float8, %(edges)s::float8[]), sum(import_kwh),
        sum(export_kwh)
    FROM meters_energyrollup
    WHERE device_id = %(device_id)s AND bucket >= to_timestamp(%(first)s) AND bucket < to_timestamp(%(last)s)
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
# The state row is locked while a chunk is closed: a late reading's re-opening waits for the chunk to
# commit and then moves closed_until back, so it is never overwritten by a close that did not see it.
STATE_MAKE = """
    INSERT INTO meters_rollupstate (device_id, closed_until)
    SELECT %(device_id)s, date_bin('15 minutes', first, TIMESTAMPTZ '2000-01-01Z')
    FROM (SELECT min(ts) AS first FROM meters_reading WHERE device_id = %(device_id)s) readings
    WHERE first IS NOT NULL
        AND NOT EXISTS (SELECT FROM meters_rollupstate WHERE device_id = %(device_id)s)
    ON CONFLICT (device_id) DO NOTHING
"""
STATE_LOCK = """
    SELECT greatest(closed_until, (SELECT min(ts) FROM meters_reading WHERE device_id = %(device_id)s))
    FROM meters_rollupstate WHERE device_id = %(device_id)s FOR UPDATE
"""
STATE_SET = "UPDATE meters_rollupstate SET closed_until = %(closed_until)s WHERE device_id = %(device_id)s"
STATE_REOPEN = """
    UPDATE meters_rollupstate SET closed_until = %(since)s
    WHERE device_id = ANY(%(device_ids)s) AND closed_until > %(since)s
"""
STATE_FORGET = (
    "DELETE FROM meters_rollupstate WHERE device_id = ANY(%(device_ids)s)",
    "DELETE FROM meters_energyrollup WHERE device_id = ANY(%(device_ids)s)",
)
READINGS_SINCE = (
    "SELECT EXISTS (SELECT FROM meters_reading WHERE device_id = %(device_id)s AND ts >= %(since)s)"
)
CLOSED_UNTIL = "SELECT closed_until FROM meters_rollupstate WHERE device_id = %(device_id)s"


def bucket_floor(*, moment: datetime) -> datetime:
    return datetime.fromtimestamp(moment.timestamp() // _BUCKET_SECONDS * _BUCKET_SECONDS, UTC)


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
    params = {
        "device_id": device_id,
        "edges": edges.tolist(),
        "first": float(edges[0]),
        "last": float(edges[-1]),
    }
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
