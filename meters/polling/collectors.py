"""Collectors: workers on a client's site (a Raspberry Pi with a USB-RS485 stick) that poll the devices
named for them, and only those.

A device's `collector` routes its polls to the Celery queue `collector.<name>` (its PeriodicTask's queue);
a worker started with `-Q collector.<name>` serves it, and reaches the same PostgreSQL and Redis as every
other worker, so bus lanes and device locks hold across collectors. Each worker tells Redis, every
HEARTBEAT_S, that the collectors whose queues it consumes are alive; a device whose collector has not been
seen for three of its poll intervals is "collector offline" rather than "meter offline".
"""

import logging
import threading
import time

import redis
from django.db import connection

from meters.polling.lanes import KEY_PREFIX, redis_client

log = logging.getLogger(__name__)

QUEUE_PREFIX = "collector."
HEARTBEAT_S = 10.0
# Poll intervals without a heartbeat after which a collector counts as offline.
OFFLINE_INTERVALS = 3
# Devices' statuses read the collectors' last heartbeats at most this often per process.
SEEN_CACHE_S = 5.0

_seen: tuple[float, dict[str, float]] = (0.0, {})


def collector_queue(name: str) -> str | None:
    """The Celery queue of a collector's polls; None for a device any worker may poll."""
    return f"{QUEUE_PREFIX}{name}" if name else None


def collectors_key() -> str:
    """Collectors are named per deployment (its database): deployments may share one Redis."""
    return f"{KEY_PREFIX}collectors:{connection.settings_dict['NAME']}"


def collectors_heartbeat(*, names: list[str]) -> None:
    redis_client().hset(collectors_key(), mapping=dict.fromkeys(names, time.time()))


def collectors_last_seen() -> dict[str, float]:
    """Collector name -> when a worker of it was last alive (Unix time); cached for SEEN_CACHE_S."""
    global _seen
    read_at, seen = _seen
    if time.monotonic() - read_at < SEEN_CACHE_S:
        return seen
    try:
        raw = redis_client().hgetall(collectors_key())
    except redis.RedisError as error:
        log.warning("collectors' heartbeats unreadable: %s", error)
        return seen
    seen = {name.decode(): float(at) for name, at in raw.items()}
    _seen = (time.monotonic(), seen)
    return seen


def device_collector_offline(*, device, fresh: bool = False) -> bool:
    """No worker of the device's collector seen for three of its poll intervals. `fresh` asks Redis now
    rather than through the per-process cache (before sending the collector work that waits for it)."""
    if fresh:
        raw = redis_client().hget(collectors_key(), device.collector)
        last = None if raw is None else float(raw)
    else:
        last = collectors_last_seen().get(device.collector)
    return last is None or time.time() - last > OFFLINE_INTERVALS * device.poll_interval


def worker_collectors_start(*, queues: list[str]) -> threading.Thread | None:
    """In a worker: beat the heart of each collector whose queue it consumes, until the process ends."""
    names = sorted(queue.removeprefix(QUEUE_PREFIX) for queue in queues if queue.startswith(QUEUE_PREFIX))
    if not names:
        return None

    def beat() -> None:
        while True:
            try:
                collectors_heartbeat(names=names)
            except redis.RedisError as error:
                log.warning("collector heartbeat of %s not sent: %s", ", ".join(names), error)
            time.sleep(HEARTBEAT_S)

    thread = threading.Thread(target=beat, name="collector-heartbeat", daemon=True)
    thread.start()
    log.info("serving collector(s) %s", ", ".join(names))
    return thread
