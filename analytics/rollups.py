"""Closing rollup buckets: each device's energy per 15-minute bucket, computed from its readings by the
energy rules and stored so that long ranges never walk the readings (docs/readings-store.md).

Work goes one day of buckets at a time, each in its own transaction that locks the device's state, so a
close is resumable (a killed run leaves every finished day closed) and idempotent (a bucket is replaced,
never added to), and a late reading stored meanwhile re-opens what it changes once the day commits.
"""

from datetime import datetime, timedelta

import numpy as np
from django.db import transaction

from analytics.energy import energy_per_bucket
from analytics.selectors import energy_series_all
from meters.readings.rollups import (
    BUCKET,
    bucket_floor,
    readings_exist_since,
    rollup_energy_replace,
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
    return edges.size - 1
