"""Rules saved or deleted (admin, API, services alike) tell every process's rule cache, once committed."""

import logging

import redis
from django.db import connection, transaction

from alarms.selectors import alarm_rules_forget, alarm_rules_version_key
from meters.polling.lanes import redis_client

log = logging.getLogger(__name__)


def alarm_rules_changed(sender, **kwargs) -> None:
    connection.alarm_rules_changed = True
    schema = connection.schema_name
    transaction.on_commit(lambda: _version_bump(schema=schema))


def _version_bump(*, schema: str) -> None:
    connection.alarm_rules_changed = False
    alarm_rules_forget(schema=schema)
    try:
        redis_client().incr(alarm_rules_version_key(schema=schema))
    except redis.RedisError as error:
        # The caches read the rules again within a minute anyway.
        log.warning("could not announce changed alarm rules of %s: %s", schema, error)
