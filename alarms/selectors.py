"""Reads of alarm rules, and of alarms for the portal (what is raised now, the history).

Every stored reading asks for its client's active rules; they change rarely, so each process keeps them
per client schema and asks Redis, one GET at most once a second, whether they changed since (a version
bumped when a rule is saved or deleted, once the change commits; the process that changed them drops its
own copy at once). A rule changed in one process applies in the others within a second. A transaction
that changed rules itself reads them from the database until it commits, so an uncommitted rule is never
kept, nor one rolled back.
"""

import logging
import threading
import time
from datetime import datetime

import redis
from django.db import connection
from django.db.models import QuerySet

from alarms.models import AlarmEvent, AlarmRule
from meters.polling.lanes import KEY_PREFIX, redis_client

log = logging.getLogger(__name__)

# Kept rules are read again at least this often, should a version bump ever be lost (Redis flushed).
RULES_MAX_AGE_S = 60.0
# How often a process asks Redis for the version: a worker stores tens of readings a second per client,
# and a round trip for each was a fifth of a poll's Redis work.
RULES_VERSION_CHECK_S = 1.0

# (database, schema) -> (version, read at, version checked at, rules)
_kept: dict[tuple[str, str], tuple[bytes | None, float, float, list[AlarmRule]]] = {}
_kept_lock = threading.Lock()


def alarm_rules_version_key(*, schema: str) -> str:
    return f"{KEY_PREFIX}alarm-rules:{connection.settings_dict['NAME']}:{schema}"


def alarm_rules_active() -> list[AlarmRule]:
    """The active rules of the current client schema."""
    if getattr(connection, "alarm_rules_changed", False):
        return list(AlarmRule.objects.filter(active=True))
    schema = connection.schema_name
    key = (connection.settings_dict["NAME"], schema)
    now = time.monotonic()
    kept = _kept.get(key)
    if kept is not None and now - kept[2] < RULES_VERSION_CHECK_S and now - kept[1] < RULES_MAX_AGE_S:
        return kept[3]
    try:
        version = redis_client().get(alarm_rules_version_key(schema=schema))
    except redis.RedisError as error:
        log.warning("alarm rules read from the database: Redis unavailable (%s)", error)
        return list(AlarmRule.objects.filter(active=True))
    if kept is not None and kept[0] == version and now - kept[1] < RULES_MAX_AGE_S:
        with _kept_lock:
            _kept[key] = (version, kept[1], now, kept[3])
        return kept[3]
    rules = list(AlarmRule.objects.filter(active=True))
    with _kept_lock:
        _kept[key] = (version, now, now, rules)
    return rules


def alarm_rules_forget(*, schema: str) -> None:
    """This process changed the schema's rules: its next reading reads them again, without waiting for
    its next version check."""
    with _kept_lock:
        _kept.pop((connection.settings_dict["NAME"], schema), None)


def alarm_active_events() -> QuerySet[AlarmEvent]:
    """Raised events not cleared yet, newest first."""
    return AlarmEvent.objects.filter(kind=AlarmEvent.Kind.RAISED, cleared_at__isnull=True).select_related(
        "rule", "device"
    )


def alarm_history(
    *,
    device_id: int | None = None,
    rule_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[AlarmEvent]:
    events = AlarmEvent.objects.select_related("rule", "device")
    if device_id is not None:
        events = events.filter(device_id=device_id)
    if rule_id is not None:
        events = events.filter(rule_id=rule_id)
    if start is not None:
        events = events.filter(ts__gte=start)
    if end is not None:
        events = events.filter(ts__lt=end)
    return events
