"""Figures of a device's settled days (and the settled hours of today), computed once from the readings and
kept in the cache until a late reading for the device is stored.

A day (or hour) that ended more than SETTLED_AFTER ago only changes when a reading older than LATE_AFTER is
stored for the device: such a batch drops the device's cache generation once it commits
(`settled_readings_stored`, connected to readings_ingest's batches), so every figure cached before is never
read again. A reader takes the generation before it reads the readings, so a figure computed beside a late
batch is stored under the generation that batch drops. Readings stored as they are measured (polls, pushes
within the hour) never touch the cache.
"""

import uuid
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from tenants.current import current_client

LATE_AFTER = timedelta(hours=1)
# Longer than LATE_AFTER by more than an ingest transaction lasts: a batch judged "not late" when it
# began can only hold readings after any day cached while it was open.
SETTLED_AFTER = timedelta(hours=2)
# Figures are small and recomputed from the readings when gone.
FIGURES_TIMEOUT = int(timedelta(days=31).total_seconds())

Day = tuple[datetime, datetime]


def settled_days_figures(
    *,
    kind: str,
    tags: dict[int, str],
    days: list[Day],
    cacheable: Callable[[Day], bool],
    compute: Callable[[dict[int, list[Day]]], dict[tuple[int, Day], object]],
) -> dict[tuple[int, Day], object]:
    """The figure of each day of each device of `tags` (device id -> what else the figure depends on, e.g.
    its nominal voltage): cached for the settled days that `cacheable` accepts, the others computed by
    `compute` from {device id: [days]}, which gives {(device id, day): figure}."""
    settled = timezone.now() - SETTLED_AFTER
    generations = _generations(device_ids=list(tags))
    client_id = current_client().pk
    keys = {
        (device_id, day): (
            f"settled:{kind}:{client_id}:{device_id}:{generations[device_id]}:{tag}:"
            f"{day[0].timestamp():.0f}:{day[1].timestamp():.0f}"
        )
        for device_id, tag in tags.items()
        for day in days
        if day[1] <= settled and cacheable(day)
    }
    cached = cache.get_many(list(keys.values())) if keys else {}
    figures = {day_key: cached[key] for day_key, key in keys.items() if key in cached}
    missing = {device_id: [day for day in days if (device_id, day) not in figures] for device_id in tags}
    if any(missing.values()):
        fresh = compute(missing)
        cache.set_many(
            {keys[day_key]: fresh[day_key] for day_key in fresh if day_key in keys}, FIGURES_TIMEOUT
        )
        figures |= fresh
    return figures


def local_pieces(
    *, start: datetime, end: datetime, zone: zoneinfo.ZoneInfo, hours_of_today: bool = True
) -> list[Day]:
    """[start, end) cut at each local midnight of `zone`, and (`hours_of_today`) the day that is settling
    now cut in hours: today's settled hours are kept too, and only the newest are computed on each view."""
    edges = [start]
    day = start.astimezone(zone).date()
    while edges[-1] < end:
        day += timedelta(days=1)
        edges.append(min(datetime(day.year, day.month, day.day, tzinfo=zone), end))
    settled = timezone.now() - SETTLED_AFTER
    pieces = []
    for low, high in pairwise(edges):
        if hours_of_today and low < settled < high:
            # In UTC: a local wall-clock hour added to a local midnight would follow the wall clock.
            hours = (high.timestamp() - low.timestamp()) // 3600
            first = low.astimezone(UTC)
            pieces += list(pairwise([first + timedelta(hours=hour) for hour in range(int(hours))] + [high]))
        else:
            pieces.append((low, high))
    return pieces


def settled_readings_stored(*, readings, **kwargs) -> None:
    """Receiver of readings_ingest's batches: readings older than LATE_AFTER drop their devices' cached
    figures, once stored."""
    late_before = timezone.now() - LATE_AFTER
    late = {reading.device_id for reading in readings if reading.ts < late_before}
    if late:
        keys = [_generation_key(device_id=device_id) for device_id in late]
        transaction.on_commit(lambda: cache.delete_many(keys))


def _generations(*, device_ids: list[int]) -> dict[int, str]:
    keys = {device_id: _generation_key(device_id=device_id) for device_id in device_ids}
    known = cache.get_many(list(keys.values()))
    generations = {}
    for device_id, key in keys.items():
        if key not in known:
            # add(): two readers starting a generation at once agree on the first one stored.
            candidate = uuid.uuid4().hex
            cache.add(key, candidate, timeout=None)
            known[key] = cache.get(key) or candidate
        generations[device_id] = known[key]
    return generations


def _generation_key(*, device_id: int) -> str:
    return f"settled:generation:{current_client().pk}:{device_id}"
