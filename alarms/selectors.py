"""Reads of alarm rules.

Every stored reading asks for its client's active rules; they change rarely, so each process keeps them
per client schema and asks Redis, one GET, whether they changed since (a version bumped when a rule is
saved or deleted, once the change commits). A transaction that changed rules itself reads them from the
database until it commits, so an uncommitted rule is never kept, nor one rolled back.
"""

import logging
import threading
import time

import redis
from django.db import connection

from alarms.models import AlarmRule
from meters.polling.lanes import KEY_PREFIX, redis_client

log = logging.getLogger(__name__)

# Kept rules are read again at least this often, should a version bump ever be lost (Redis flushed).
RULES_MAX_AGE_S = 60.0

_kept: dict[tuple[str, str], tuple[bytes | None, float, list[AlarmRule]]] = {}
_kept_lock = threading.Lock()


def alarm_rules_version_key(*, schema: str) -> str:
    return f"{KEY_PREFIX}alarm-rules:{connection.settings_dict['NAME']}:{schema}"


def alarm_rules_active() -> list[AlarmRule]:
    """The active rules of the current client schema."""
    if getattr(connection, "alarm_rules_changed", False):
        return list(AlarmRule.objects.filter(active=True))
    schema = connection.schema_name
    key = (connection.settings_dict["NAME"], schema)
    try:
        version = redis_client().get(alarm_rules_version_key(schema=schema))
    except redis.RedisError as error:
        log.warning("alarm rules read from the database: Redis unavailable (%s)", error)
        return list(AlarmRule.objects.filter(active=True))
    kept = _kept.get(key)
    if kept is not None and kept[0] == version and time.monotonic() - kept[1] < RULES_MAX_AGE_S:
        return kept[2]
    rules = list(AlarmRule.objects.filter(active=True))
    with _kept_lock:
        _kept[key] = (version, time.monotonic(), rules)
    return rules
