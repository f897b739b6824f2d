"""Redis locks that keep polls apart, across worker processes and machines.

- A device lock: a poll still running is not started twice (a slow meter, a late beat, `manage.py poll`).
- A bus lane: meters that share a wire (one gateway's host:port, one serial port) are addressed one
  device's read at a time, and the wire rests `gap` seconds before the next device's read.

Both locks expire on their own (the task's hard time limit), so a worker that dies holding one blocks
its device or bus for that long at most.
"""

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.conf import settings
from django.db import connection
from redis.exceptions import LockError

log = logging.getLogger(__name__)

KEY_PREFIX = "pieng:"
# How often a poll waiting for a busy bus asks again: small against a read (tens of ms per transaction).
LANE_RETRY_S = 0.01


@functools.cache
def _redis(url: str) -> redis.Redis:
    # redis-py pools reconnect after fork, so one client per URL serves prefork and thread pools alike.
    return redis.Redis.from_url(url)


def redis_client() -> redis.Redis:
    return _redis(settings.REDIS_URL)


def lock_ttl_seconds() -> float:
    """No poll outlives the task's hard time limit: a lock held longer belongs to a dead worker."""
    return float(settings.CELERY_TASK_TIME_LIMIT)


def device_lock_key(*, schema: str, device_id: int) -> str:
    """A device is its id in its client's schema of its database: deployments may share one Redis."""
    return f"{KEY_PREFIX}poll:{connection.settings_dict['NAME']}:{schema}:{device_id}"


@contextmanager
def device_lock(*, schema: str, device_id: int, wait: float = 0.0) -> Iterator[bool]:
    """Yields whether this poll holds the device; False when another poll of it is still running."""
    lock = redis_client().lock(
        device_lock_key(schema=schema, device_id=device_id),
        timeout=lock_ttl_seconds(),
        sleep=LANE_RETRY_S,
        blocking=wait > 0,
        blocking_timeout=wait or None,
    )
    with _holding(lock, release=_release) as held:
        yield held


@contextmanager
def bus_lane(*, bus_key: str | None, gap: float, wait: float) -> Iterator[bool]:
    """Yields whether this poll holds its bus (always True for a device alone on its link).

    The key names the wire as the worker reaches it, without the client's schema: two clients' meters
    behind one gateway address share its bus.
    """
    if bus_key is None:
        yield True
        return
    lock = redis_client().lock(
        f"{KEY_PREFIX}bus:{bus_key}", timeout=lock_ttl_seconds(), sleep=LANE_RETRY_S, blocking_timeout=wait
    )

    def release(lock) -> None:
        if gap > 0:
            # The wire must rest `gap` before the next device's read: the lock stays for exactly that long
            # and then expires, so this worker goes on without sleeping through the gap.
            _expire(lock, after=gap)
        else:
            _release(lock)

    with _holding(lock, release=release) as held:
        yield held


@contextmanager
def _holding(lock, *, release) -> Iterator[bool]:
    """Yields whether `lock` was acquired; releases it with `release` when it was."""
    if not lock.acquire():
        yield False
        return
    try:
        yield True
    finally:
        release(lock)


def _release(lock) -> None:
    try:
        lock.release()
    except LockError:
        log.warning("lock %s expired before its holder finished", lock.name)


def _expire(lock, *, after: float) -> None:
    try:
        lock.extend(after, replace_ttl=True)
    except LockError:
        log.warning("lock %s expired before its holder finished", lock.name)
