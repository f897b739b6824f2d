"""Whole readings of one device, row by row: exports and anything else that walks a range of readings."""

import zoneinfo
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import connection

from meters.catalog import CATALOG
from meters.models import MetricLayout
from meters.readings.chunks import cold_rows, cold_times, rows_merge
from pieng.timebounds import EPOCH

CHUNK_ROWS = 5000
CATALOG_ORDER = {name: position for position, name in enumerate(CATALOG)}

# Times travel as integer microseconds since the epoch: exact, and far cheaper than parsing timestamptz text.
ROWS = """
    SELECT (extract(epoch FROM ts) * 1000000)::bigint, layout_id, "values" FROM meters_reading
    WHERE device_id = %(device_id)s AND ts >= %(start)s AND ts < %(end)s
    ORDER BY ts LIMIT %(limit)s
"""
# Counting stops past the cap: asking "more than N?" costs N index entries at most, whatever the range holds.
COUNT_CAPPED = """
    SELECT count(*) FROM (
        SELECT 1 FROM meters_reading
        WHERE device_id = %(device_id)s AND ts >= %(start)s AND ts < %(end)s LIMIT %(cap)s
    ) capped
"""
LAYOUTS_USED = """
    SELECT DISTINCT layout_id FROM meters_reading
    WHERE device_id = %(device_id)s AND ts >= %(start)s AND ts < %(end)s
"""


def readings_rows(
    *, device_id: int, start: datetime, end: datetime, chunk_rows: int = CHUNK_ROWS
) -> Iterator[tuple[int, int, list[float]]]:
    """(epoch microseconds, layout id, values) of the device's readings in [start, end), oldest first,
    hot and packed ones merged, fetched `chunk_rows` (or a day of packed ones) at a time so that a year of
    readings never sits in memory."""
    hot = _hot_rows(device_id=device_id, start=start, end=end, chunk_rows=chunk_rows)
    cold = cold_rows(device_id=device_id, start=start, end=end)
    yield from rows_merge(hot, cold)


def _hot_rows(
    *, device_id: int, start: datetime, end: datetime, chunk_rows: int
) -> Iterator[tuple[int, int, list[float]]]:
    while True:
        params = {"device_id": device_id, "start": start, "end": end, "limit": chunk_rows}
        with connection.cursor() as cursor:
            cursor.execute(ROWS, params)
            rows = cursor.fetchall()
        yield from rows
        if len(rows) < chunk_rows:
            return
        start = EPOCH + timedelta(microseconds=rows[-1][0] + 1)


def readings_count_capped(*, device_id: int, start: datetime, end: datetime, cap: int) -> int:
    """How many readings the device has in [start, end), counting no further than `cap`."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT_CAPPED, {"device_id": device_id, "start": start, "end": end, "cap": cap})
        (hot,) = cursor.fetchone()
    if hot >= cap:
        return cap
    cold = sum(micros.size for _, micros in cold_times(device_id=device_id, start=start, end=end))
    return min(hot + cold, cap)


def readings_metric_names(*, device_id: int, start: datetime, end: datetime) -> list[str]:
    """Every metric the device has in [start, end): catalog metrics in catalog order, then the others."""
    with connection.cursor() as cursor:
        cursor.execute(LAYOUTS_USED, {"device_id": device_id, "start": start, "end": end})
        layout_ids = {layout_id for (layout_id,) in cursor.fetchall()}
    cold = cold_times(device_id=device_id, start=start, end=end)
    layout_ids |= {layout_id for layout_id, micros in cold if micros.size}
    names = {name for layout in MetricLayout.objects.filter(pk__in=layout_ids) for name in layout.names}
    return sorted(names, key=lambda name: (CATALOG_ORDER.get(name, len(CATALOG_ORDER)), name))


def readings_table(
    *, device_id: int, columns: list[str], start: datetime, end: datetime, zone: zoneinfo.ZoneInfo
) -> Iterator[list]:
    """One row per reading in [start, end), oldest first: [local ISO time, value or None per column]."""
    positions: dict[int, list[int | None]] = {}
    layouts = dict(MetricLayout.objects.values_list("pk", "names"))
    for micros, layout_id, values in readings_rows(device_id=device_id, start=start, end=end):
        if layout_id not in positions:
            if layout_id not in layouts:
                layouts = dict(MetricLayout.objects.values_list("pk", "names"))
            where = {name: index for index, name in enumerate(layouts[layout_id])}
            positions[layout_id] = [where.get(column) for column in columns]
        moment = (EPOCH + timedelta(microseconds=micros)).astimezone(zone)
        yield [
            moment.isoformat(),
            *(None if index is None else values[index] for index in positions[layout_id]),
        ]
