"""The one write path for readings: the poller and the HTTP API both call `readings_ingest`."""

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from operator import itemgetter

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from meters.catalog import metric_name_is_valid
from meters.models import Device
from meters.readings.layouts import TooManyLayouts, device_layouts_record, layout_id_for
from pieng.errors import InputRefused


@dataclass(frozen=True)
class ReadingIn:
    device_id: int
    ts: datetime
    metrics: dict[str, float]


@dataclass(frozen=True)
class IngestResult:
    readings: int
    points: int
    stored: list[ReadingIn] = field(repr=False)


class IngestError(InputRefused):
    """A reading of the batch was refused; nothing of the batch was stored."""

    def __init__(self, *, index: int, field: str, message: str):
        self.index, self.field, self.message = index, field, message
        super().__init__(f"item {index}: {field}: {message}")

    def details(self) -> dict:
        return {"index": self.index, "field": self.field}


# Sent inside the ingest transaction with `readings=` (what was stored, deduplicated): whatever must happen
# because readings were stored (alarm evaluation, forwarding) receives it, and a receiver that raises rolls
# the whole batch back. Receivers are connected in their apps' ready(): alarms, forwarding.
reading_batch_stored = Signal()

# A batch is copied in binary (exact float8, about 3x faster than text) into a session-local staging
# table, then merged; COPY itself cannot resolve conflicts.
STAGING = """
    CREATE TEMP TABLE IF NOT EXISTS reading_staging
        (ts timestamptz, device_id int, layout_id int, "values" float8[]);
    TRUNCATE reading_staging;
"""
COPY = 'COPY reading_staging (ts, device_id, layout_id, "values") FROM STDIN (FORMAT BINARY)'
# The binary stream is packed here, a row per struct call: psycopg's per-value dumpers cost more than the
# database's whole merge of the batch. PostgreSQL's binary COPY: a header, per row the field count and
# each field as (length, bytes), a trailer; timestamptz is int64 microseconds since 2000-01-01 UTC, and an
# array is (ndim, has nulls, element type oid, length, lower bound) then its elements as fields.
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
COPY_TRAILER = struct.pack(">h", -1)
POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
FLOAT8_OID = 701
# A small batch (a poll's one reading) goes in one INSERT, which also re-opens the rollups (below) as a
# common table expression: one round trip. The staging table's TRUNCATE would cost the database more than
# the whole insert.
SMALL_BATCH = 50
INSERT = """
    INSERT INTO meters_reading (ts, device_id, layout_id, "values") VALUES {rows}
    ON CONFLICT (device_id, ts) DO UPDATE SET layout_id = EXCLUDED.layout_id, "values" = EXCLUDED."values"
"""
MERGE = """
    INSERT INTO meters_reading (ts, device_id, layout_id, "values")
    SELECT ts, device_id, layout_id, "values" FROM reading_staging
    ON CONFLICT (device_id, ts) DO UPDATE SET layout_id = EXCLUDED.layout_id, "values" = EXCLUDED."values"
"""

# A stored reading changes the energy from the second reading before it on (the glitch rule judges a
# reading by its neighbours, and interpolation spans the gap to the previous reading): a closed rollup
# bucket from there on is re-opened. Polls, which arrive after everything closed, touch no row.
# Packed readings count by their chunks' first times: real readings before the batch, so the second
# newest of them and of the hot ones is never after the second reading before it (re-opening a little
# more is only recomputing). (Run in the INSERT's statement, it does not see the batch's rows: it reads
# only rows older than the batch's.)
REOPEN_ROLLUPS = """
    UPDATE meters_rollupstate s SET closed_until = reopen.since
    FROM unnest(%s::int[], %s::timestamptz[]) AS batch(device_id, first)
    CROSS JOIN LATERAL (
        SELECT date_bin('15 minutes', coalesce(min(before.ts), batch.first), TIMESTAMPTZ '2000-01-01Z')
            AS since
        FROM (
            SELECT ts FROM (
                (SELECT ts FROM meters_reading r
                WHERE r.device_id = batch.device_id AND r.ts < batch.first ORDER BY r.ts DESC LIMIT 2)
                UNION ALL
                (SELECT first_ts FROM meters_coldchunk c
                WHERE c.device_id = batch.device_id AND c.first_ts < batch.first
                ORDER BY c.first_ts DESC LIMIT 2)
            ) candidates ORDER BY ts DESC LIMIT 2
        ) before
    ) reopen
    WHERE s.device_id = batch.device_id AND reopen.since < s.closed_until
"""


def readings_ingest(*, readings: Sequence[ReadingIn], devices_known: bool = False) -> IngestResult:
    """Validate a batch and store it in one transaction, all or nothing.

    A reading for a (device, ts) that is already stored replaces it whole: a replayed batch is
    idempotent, and a corrected reading wins (last write wins, never a merge of two readings).
    `devices_known`: the caller has just loaded the batch's devices (the poller), so their existence is
    not asked again (the foreign key still refuses a device deleted since).
    """
    _readings_validate(readings, devices_known=devices_known)
    readings = _readings_deduplicate(readings)
    # No savepoint inside a caller's transaction (the poller stores a reading and the device's status
    # together): the batch is still all or nothing, at two round trips less.
    with transaction.atomic(savepoint=False):
        layouts: dict[tuple[str, ...], tuple[int, itemgetter]] = {}
        rows = [_row(reading, layouts) for reading in readings]
        first_index: dict[tuple[int, int], int] = {}
        for index, row in enumerate(rows):
            first_index.setdefault((row[1], row[2]), index)
        try:
            device_layouts_record(first_index=first_index)
        except TooManyLayouts as error:
            raise IngestError(index=error.index, field="metrics", message=str(error)) from None
        _rows_write(rows)
        reading_batch_stored.send(sender=IngestResult, readings=readings)
    return IngestResult(
        readings=len(readings), points=sum(len(r.metrics) for r in readings), stored=list(readings)
    )


def _rows_write(rows: list[tuple]) -> None:
    """Store the rows and re-open the rollups they change."""
    if not rows:
        return  # an empty batch stores nothing, and is no error
    reopen = _rollups_reopen_params(rows)
    with connection.cursor() as cursor:
        if len(rows) <= SMALL_BATCH:
            values = ", ".join(["(%s, %s, %s, %s::float8[])"] * len(rows))
            cursor.execute(
                f"WITH written AS ({INSERT.format(rows=values)}) {REOPEN_ROLLUPS}",
                [*(item for row in rows for item in row), *reopen],
            )
            return
        cursor.execute(STAGING)
        with cursor.copy(COPY) as copy:
            copy.write(_copy_binary(rows))
        cursor.execute(MERGE)
        cursor.execute(REOPEN_ROLLUPS, reopen)


def _copy_binary(rows: list[tuple]) -> bytes:
    parts = [COPY_HEADER]
    for ts, device_id, layout_id, values in rows:
        count = len(values)
        # Each element is a field of its own: its length (8), then the float8.
        elements = [8] * (2 * count)
        elements[1::2] = values
        parts.append(
            _row_struct(count).pack(
                4,
                8,
                (ts - POSTGRES_EPOCH) // timedelta(microseconds=1),
                4,
                device_id,
                4,
                layout_id,
                20 + 12 * count,
                1,
                0,
                FLOAT8_OID,
                count,
                1,
                *elements,
            )
        )
    parts.append(COPY_TRAILER)
    return b"".join(parts)


@cache
def _row_struct(count: int) -> struct.Struct:
    return struct.Struct(">h iq ii ii i iiiii" + "id" * count)


def _rollups_reopen_params(rows: list[tuple]) -> list[list]:
    """Each device of the batch, and its first reading's time."""
    firsts: dict[int, datetime] = {}
    for ts, device_id, _, _ in rows:
        if device_id not in firsts or ts < firsts[device_id]:
            firsts[device_id] = ts
    return [list(firsts), list(firsts.values())]


def _row(reading: ReadingIn, layouts: dict[tuple[str, ...], tuple[int, itemgetter]]) -> tuple:
    # Readings of one source name their metrics in one order: the sorted layout is worked out once.
    key = tuple(reading.metrics)
    if key not in layouts:
        names = tuple(sorted(key))
        layouts[key] = (layout_id_for(names), itemgetter(*names) if len(names) > 1 else _one(names[0]))
    layout_id, values_of = layouts[key]
    return (reading.ts, reading.device_id, layout_id, list(map(float, values_of(reading.metrics))))


def _one(name: str):
    return lambda metrics: (metrics[name],)


def _readings_deduplicate(readings: Sequence[ReadingIn]) -> list[ReadingIn]:
    """Within one batch, as across batches, the last reading for a (device, ts) wins."""
    latest = {(reading.device_id, reading.ts): reading for reading in readings}
    return list(latest.values())


def _readings_validate(readings: Sequence[ReadingIn], *, devices_known: bool) -> None:
    device_ids = {reading.device_id for reading in readings}
    if devices_known:
        known = device_ids
    else:
        known = set(Device.objects.filter(pk__in=device_ids).values_list("pk", flat=True))
    valid_names: set[tuple] = set()
    # A reading from the future would sit on top of every series and chart, and pin alarm states, until
    # real time caught up with it: a meter's clock may run a little fast, not more.
    max_future = timedelta(seconds=settings.INGEST_MAX_FUTURE)
    latest_allowed = timezone.now() + max_future
    for index, reading in enumerate(readings):
        if reading.device_id not in known:
            raise IngestError(index=index, field="device_id", message=f"no device {reading.device_id}")
        if reading.ts.tzinfo is None:
            raise IngestError(index=index, field="ts", message="needs a time zone (e.g. Z or -03:00)")
        if reading.ts > latest_allowed:
            raise IngestError(
                index=index,
                field="ts",
                message=f"is more than {max_future.total_seconds():g} s ahead of the server's clock "
                f"({latest_allowed - max_future:%Y-%m-%dT%H:%M:%SZ}); check the sender's clock",
            )
        if not reading.metrics:
            raise IngestError(index=index, field="metrics", message="must name at least one metric")
        # The common case checked per reading rather than per value: names already seen in this batch,
        # floats only, and a finite sum (an infinite sum may still come from finite values: then each
        # value is checked).
        names = tuple(reading.metrics)
        if names not in valid_names:
            for name in names:
                _metric_name_validate(index=index, name=name)
            valid_names.add(names)
        values = reading.metrics.values()
        if ONLY_FLOATS.issuperset(map(type, values)) and math.isfinite(sum(values)):
            continue
        for name, value in reading.metrics.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise IngestError(index=index, field=f"metrics.{name}", message="must be a number")
            if not _is_finite_double(value):
                raise IngestError(index=index, field=f"metrics.{name}", message="must be a finite number")


ONLY_FLOATS = frozenset({float})


def _is_finite_double(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond a double's range
        return False


def _metric_name_validate(*, index: int, name) -> None:
    if not isinstance(name, str) or not metric_name_is_valid(name):
        raise IngestError(
            index=index,
            field=f"metrics.{name}",
            message="metric names are lower snake case, at most 64 characters",
        )
