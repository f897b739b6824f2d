"""Cold chunks in the database: packing a device's old readings into them, dropping them after the
retention, and reading them back for the read paths of series.py and rows.py.

A chunk holds one device's readings of one UTC day with one layout. A reading stored later for a packed
day (a late or corrected reading) goes to meters_reading like any other: reads merge the two, and a hot
reading wins over a cold one at the same time (last write wins, as in meters_reading), until the next
packing merges the day again (docs/readings-store.md).
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection, transaction

from meters.readings.cold import chunk_pack, chunk_unpack, column_unpack, times_unpack
from pieng.timebounds import EPOCH, FAR_FUTURE

DAY = timedelta(days=1)
# A limited read (the newest N points) decodes this many days of chunks at a time until it has N.
DAYS_AT_A_TIME = 4

OLDEST_HOT = "SELECT min(ts) FROM meters_reading WHERE device_id = %(device_id)s AND ts < %(before)s"
# What is deleted is what is packed: a reading stored meanwhile stays hot, and the next packing takes it.
HOT_TAKE = """
    DELETE FROM meters_reading WHERE device_id = %(device_id)s AND ts >= %(start)s AND ts < %(end)s
    RETURNING (extract(epoch FROM ts) * 1000000)::bigint, layout_id, "values"
"""
COLD_TAKE = """
    DELETE FROM meters_coldchunk
    WHERE device_id = %(device_id)s AND first_ts >= %(start)s AND first_ts < %(end)s
    RETURNING layout_id, data, offsets
"""
CHUNK_INSERT = """
    INSERT INTO meters_coldchunk (device_id, first_ts, last_ts, layout_id, count, offsets, data)
    VALUES (%(device_id)s, %(first)s, %(last)s, %(layout_id)s, %(count)s, %(offsets)s, %(data)s)
"""
DROP_OLDER = "DELETE FROM meters_coldchunk WHERE last_ts < %(before)s"

# Chunks overlapping [start, end); a chunk lies within one UTC day, so its first reading is less than a
# day before the range: the bound keeps the index scan to the range.
OVERLAPPING = """
    c.device_id = %(device_id)s AND c.first_ts < %(end)s AND c.last_ts >= %(start)s
    AND c.first_ts > %(start)s::timestamptz - interval '1 day'
"""
# One metric's column (only its bytes are fetched) and the timestamps of the chunks that have it.
METRIC_CHUNKS = (
    """
    SELECT (extract(epoch FROM c.first_ts) * 1000000)::bigint,
        (extract(epoch FROM c.last_ts) * 1000000)::bigint,
        substring(c.data FROM 1 FOR c.offsets[1]),
        substring(c.data FROM c.offsets[l.position] + 1 FOR c.offsets[l.position + 1] - c.offsets[l.position])
    FROM meters_coldchunk c
    JOIN (
        SELECT id, array_position(names, %(metric)s::varchar) AS position
        FROM meters_metriclayout WHERE %(metric)s::varchar = ANY(names)
    ) l ON l.id = c.layout_id
    WHERE """
    + OVERLAPPING
    + " AND c.first_ts >= %(from)s AND c.first_ts < %(to)s"
)
TIME_CHUNKS = (
    "SELECT c.layout_id, substring(c.data FROM 1 FOR c.offsets[1]) FROM meters_coldchunk c WHERE "
    + OVERLAPPING
)
DAY_CHUNKS = """
    SELECT layout_id, data, offsets FROM meters_coldchunk
    WHERE device_id = %(device_id)s AND first_ts >= %(day)s AND first_ts < %(day_end)s
"""
CHUNK_DAYS = (
    "SELECT DISTINCT date_trunc('day', c.first_ts AT TIME ZONE 'UTC') FROM meters_coldchunk c WHERE "
    + OVERLAPPING
)
HOT_TIMES = """
    SELECT (extract(epoch FROM ts) * 1000000)::bigint FROM meters_reading
    WHERE device_id = %(device_id)s AND ts >= %(start)s AND ts <= %(end)s
"""
EXIST = "SELECT EXISTS (SELECT FROM meters_coldchunk c WHERE " + OVERLAPPING + ")"
LAST_CHUNK = """
    SELECT layout_id, data, offsets FROM meters_coldchunk
    WHERE device_id = %(device_id)s ORDER BY last_ts DESC LIMIT 1
"""


@dataclass(frozen=True)
class PackResult:
    days: int
    readings: int


def chunks_pack(*, device_id: int, before: datetime) -> PackResult:
    """Pack the device's readings older than `before` (rounded down to a UTC midnight) into chunks, a day
    per transaction: resumable (a killed run keeps every packed day) and idempotent (a day packed again
    with nothing new is left alone; with late readings, its chunks are rebuilt with them)."""
    before = _day_floor(before)
    days = readings = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(OLDEST_HOT, {"device_id": device_id, "before": before})
                (oldest,) = cursor.fetchone()
            if oldest is None:
                return PackResult(days=days, readings=readings)
            readings += _day_pack(device_id=device_id, day=_day_floor(oldest))
            days += 1


def chunks_drop_older(*, before: datetime) -> int:
    """Drop the chunks whose every reading is older than `before`; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(DROP_OLDER, {"before": before})
        return cursor.rowcount


def _day_pack(*, device_id: int, day: datetime) -> int:
    params = {"device_id": device_id, "start": day, "end": day + DAY}
    rows: dict[int, tuple[int, list[float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(COLD_TAKE, params)
        for layout_id, data, offsets in cursor.fetchall():
            micros, matrix = chunk_unpack(data=bytes(data), offsets=offsets)
            rows.update(zip(micros.tolist(), ((layout_id, row) for row in matrix), strict=True))
        cursor.execute(HOT_TAKE, params)
        # A hot reading replaces a packed one at the same time: it was written after it.
        rows.update((micros, (layout_id, values)) for micros, layout_id, values in cursor.fetchall())
        by_layout: dict[int, list[tuple[int, list[float]]]] = defaultdict(list)
        for micros in sorted(rows):
            layout_id, values = rows[micros]
            by_layout[layout_id].append((micros, values))
        for layout_id, readings in by_layout.items():
            micros = np.array([moment for moment, _ in readings], dtype=np.int64)
            data, offsets = chunk_pack(micros=micros, matrix=np.array([values for _, values in readings]))
            cursor.execute(
                CHUNK_INSERT,
                {
                    "device_id": device_id,
                    "first": micros_moment(int(micros[0])),
                    "last": micros_moment(int(micros[-1])),
                    "layout_id": layout_id,
                    "count": len(readings),
                    "offsets": offsets,
                    "data": data,
                },
            )
    return len(rows)


# Reads. Times are epoch microseconds (int64) throughout: exact, and cheap to compare and merge.


def cold_metric_points(
    *, device_id: int, metric: str, start: datetime, end: datetime, limit: int | None, newest_first: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(micros, values) of one metric in the device's chunks within [start, end), ordered as asked, without
    the times that meters_reading also has (those readings were stored again after packing). With `limit`,
    chunks are decoded only until `limit` points are found."""
    low, high = _micros(start), _micros(end)
    parts_micros, parts_values, found = [], [], 0
    windows = _windows(device_id=device_id, start=start, end=end, limit=limit, newest_first=newest_first)
    for window_start, window_end in windows:
        params = {
            "device_id": device_id,
            "metric": metric,
            "start": start,
            "end": end,
            "from": window_start,
            "to": window_end,
        }
        with connection.cursor() as cursor:
            cursor.execute(METRIC_CHUNKS, params)
            chunks = cursor.fetchall()
        if chunks:
            hot = _hot_times(
                device_id=device_id, first=min(row[0] for row in chunks), last=max(row[1] for row in chunks)
            )
            # The window's chunks decoded, then filtered at once: a month is some thirty chunks.
            micros = np.concatenate([times_unpack(block=bytes(row[2])) for row in chunks])
            values = np.concatenate([column_unpack(block=bytes(row[3])) for row in chunks])
            keep = (micros >= low) & (micros < high) & times_absent(times=micros, among=hot)
            parts_micros.append(micros[keep])
            parts_values.append(values[keep])
            found += parts_micros[-1].size
        if limit is not None and found >= limit:
            break
    if not parts_micros:
        return np.empty(0, dtype=np.int64), np.empty(0)
    micros, values = np.concatenate(parts_micros), np.concatenate(parts_values)
    # Chunks of two layouts on one day may interleave in time.
    order = np.argsort(-micros if newest_first else micros, kind="stable")
    return micros[order], values[order]


def chunks_overlap(*, device_id: int, start: datetime, end: datetime) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(EXIST, {"device_id": device_id, "start": start, "end": end})
        return cursor.fetchone()[0]


def _windows(
    *, device_id: int, start: datetime, end: datetime, limit: int | None, newest_first: bool
) -> list[tuple[datetime, datetime]]:
    """Spans of chunk first times to decode in turn: the whole range at once, or for a limited read a few
    whole UTC days at a time in the order read (chunks of one day may interleave in time, days never do)."""
    if limit is None:
        return [(EPOCH, FAR_FUTURE)]
    with connection.cursor() as cursor:
        cursor.execute(CHUNK_DAYS, {"device_id": device_id, "start": start, "end": end})
        days = sorted((day.replace(tzinfo=UTC) for (day,) in cursor.fetchall()), reverse=newest_first)
    groups = [days[index : index + DAYS_AT_A_TIME] for index in range(0, len(days), DAYS_AT_A_TIME)]
    return [(min(group), max(group) + DAY) for group in groups]


def cold_times(*, device_id: int, start: datetime, end: datetime) -> list[tuple[int, np.ndarray]]:
    """(layout id, micros) of each chunk's readings within [start, end), without the times that
    meters_reading also has."""
    params = {"device_id": device_id, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(TIME_CHUNKS, params)
        chunks = cursor.fetchall()
    low, high = _micros(start), _micros(end)
    hot = _hot_times(device_id=device_id, first=low, last=high)
    result = []
    for layout_id, block in chunks:
        micros = times_unpack(block=bytes(block))
        result.append(
            (layout_id, micros[(micros >= low) & (micros < high) & times_absent(times=micros, among=hot)])
        )
    return result


def cold_rows(
    *, device_id: int, start: datetime, end: datetime, newest_first: bool = False
) -> Iterator[tuple[int, int, list[float]]]:
    """(micros, layout id, values) of the device's packed readings in [start, end), ordered, a day's chunks
    decoded at a time; without the times that meters_reading also has."""
    with connection.cursor() as cursor:
        cursor.execute(CHUNK_DAYS, {"device_id": device_id, "start": start, "end": end})
        days = sorted((day.replace(tzinfo=UTC) for (day,) in cursor.fetchall()), reverse=newest_first)
    low, high = _micros(start), _micros(end)
    for day in days:
        with connection.cursor() as cursor:
            cursor.execute(DAY_CHUNKS, {"device_id": device_id, "day": day, "day_end": day + DAY})
            chunks = cursor.fetchall()
        rows = []
        for layout_id, data, offsets in chunks:
            micros, matrix = chunk_unpack(data=bytes(data), offsets=offsets)
            rows += [
                (moment, layout_id, values)
                for moment, values in zip(micros.tolist(), matrix.tolist(), strict=True)
                if low <= moment < high
            ]
        if rows:
            hot = set(_hot_times(device_id=device_id, first=min(rows)[0], last=max(rows)[0]).tolist())
            rows = sorted((row for row in rows if row[0] not in hot), reverse=newest_first)
        yield from rows


def rows_merge(hot: Iterable[tuple], cold: Iterable[tuple], *, newest_first: bool = False) -> Iterator[tuple]:
    """Rows of meters_reading and of the chunks, each ordered by their first item (the time), merged in
    order; of two rows at one time, the hot one (a packing that commits between the two reads moves a
    day's rows from one to the other)."""
    previous = None
    for row in heapq.merge(hot, cold, key=lambda row: row[0], reverse=newest_first):
        if row[0] != previous:
            yield row
        previous = row[0]


def cold_latest(*, device_id: int) -> tuple[int, int, list[float]] | None:
    """(micros, layout id, values) of the device's newest packed reading."""
    with connection.cursor() as cursor:
        cursor.execute(LAST_CHUNK, {"device_id": device_id})
        row = cursor.fetchone()
    if row is None:
        return None
    layout_id, data, offsets = row
    micros, matrix = chunk_unpack(data=bytes(data), offsets=offsets)
    return int(micros[-1]), layout_id, matrix[-1].tolist()


def _hot_times(*, device_id: int, first: int, last: int) -> np.ndarray:
    """Times of meters_reading within [first, last] (micros): readings stored again after packing."""
    with connection.cursor() as cursor:
        params = {"device_id": device_id, "start": micros_moment(int(first)), "end": micros_moment(int(last))}
        cursor.execute(HOT_TIMES, params)
        return np.array([moment for (moment,) in cursor.fetchall()], dtype=np.int64)


def times_absent(*, times: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Which of `times` are not in `among` (~np.isin), by binary search: `among` is a few hot readings'
    times (mostly none) and `times` a month of packed ones, which np.isin would hash whole."""
    if not among.size:
        return np.ones(times.size, dtype=bool)
    among = np.sort(among)
    return among[np.searchsorted(among, times).clip(max=among.size - 1)] != times


def _micros(moment: datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def micros_moment(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _day_floor(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
