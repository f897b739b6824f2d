"""Redis locks that keep polls apart, across worker processes, machines and collectors.

- A device lock: a poll still running is not started twice (a slow meter, a late beat, `manage.py poll`).
- A bus lane: meters that share a wire (one gateway's host:port, one serial port) are addressed one
  device's read at a time, and the wire rests `gap` seconds before the next device's read.

A poll takes both in one Redis round trip (a Lua script) and gives both back in one more, once its
reading is stored: the bus then rests its `gap` from there (a store takes milliseconds, the gap tens).
Both expire on their own, so a worker that dies holding one blocks its device or bus for that long at
most; a live poll never outlives them. The bus expires after twice a read's deadline
(POLL_READ_MAX_SECONDS, which the transport enforces); the device after the task's hard time limit,
longer than the wait for the bus, the read and the store together.
"""

import functools
import logging
import time
import uuid

import redis
from django.conf import settings
from django.db import connection

from monitoring.metrics import bus_lock_wait

log = logging.getLogger(__name__)

KEY_PREFIX = "pieng:"
# How often a poll waiting for a busy bus asks again: small against a read (tens of ms per transaction).
LANE_RETRY_S = 0.01

# KEYS: device lock[, bus lane]; ARGV: token, device ttl, bus ttl (ms). 0: the device is being polled,
# nothing taken; 1: the device is taken, its bus is busy; 2: both taken (or the device has no bus).
ACQUIRE = """
if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if #KEYS == 1 or redis.call('set', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[3]) then return 2 end
return 1
"""
# KEYS: locks; ARGV: token, then per lock the ms to keep it (0: release now). Only its holder's token
# releases a lock. Returns how many of them were still held by the token.
RELEASE = """
local held = 0
for i, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[1] then
    held = held + 1
    if tonumber(ARGV[i + 1]) > 0 then redis.call('pexpire', key, ARGV[i + 1]) else redis.call('del', key) end
  end
end
return held
"""


@functools.cache
def _redis(url: str) -> redis.Redis:
    # redis-py pools reconnect after fork, so one client per URL serves prefork and thread pools alike.
    return redis.Redis.from_url(url)


@functools.cache
def _scripts(url: str):
    client = _redis(url)
    return client.register_script(ACQUIRE), client.register_script(RELEASE)


def redis_client() -> redis.Redis:
    return _redis(settings.REDIS_URL)


def lock_ttl_seconds() -> float:
    """No poll outlives the task's hard time limit: a device lock held longer belongs to a dead worker."""
    return float(settings.CELERY_TASK_TIME_LIMIT)


def bus_ttl_seconds() -> float:
    """The bus is held for one read, which its deadline ends: twice that, and its holder is dead."""
    return 2.0 * settings.POLL_READ_MAX_SECONDS


def device_lock_key(*, schema: str, device_id: int) -> str:
    """A device is its id in its client's schema of its database: deployments may share one Redis."""
    return f"{KEY_PREFIX}poll:{connection.settings_dict['NAME']}:{schema}:{device_id}"


def bus_lock_key(bus_key: str) -> str:
    """The wire as the worker reaches it, without the client's schema: two clients' meters behind one
    gateway address share its bus."""
    return f"{KEY_PREFIX}bus:{bus_key}"


class PollLocks:
    """What `poll_locks` took: `device` (this poll holds the device) and `bus` (it holds the wire)."""

    def __init__(self, *, device_key: str, bus_key: str | None, gap: float):
        self.device_key, self.bus_key, self.gap = device_key, bus_key, gap
        self.token = uuid.uuid4().hex
        self.device = self.bus = False
        self._acquire, self._release = _scripts(settings.REDIS_URL)

    def take(self, *, device_wait: float, bus_wait: float) -> None:
        ttl_ms, bus_ttl_ms = int(lock_ttl_seconds() * 1000), int(bus_ttl_seconds() * 1000)
        keys = [self.device_key] if self.bus_key is None else [self.device_key, self.bus_key]
        deadline = time.monotonic() + device_wait
        while not (state := self._acquire(keys=keys, args=[self.token, ttl_ms, bus_ttl_ms])):
            if time.monotonic() + LANE_RETRY_S > deadline:
                return
            time.sleep(LANE_RETRY_S)
        self.device, self.bus = True, state == 2
        waiting_since = time.monotonic()
        deadline = waiting_since + bus_wait
        while not self.bus and time.monotonic() + LANE_RETRY_S <= deadline:
            time.sleep(LANE_RETRY_S)
            self.bus = bool(redis_client().set(self.bus_key, self.token, nx=True, px=bus_ttl_ms))
        if self.bus_key is not None:
            bus_lock_wait.observe(time.monotonic() - waiting_since)

    def blocked_for(self) -> float:
        """Seconds until the lock that kept this poll out expires on its own (0 once nobody holds it)."""
        key = self.device_key if not self.device else self.bus_key
        return max(redis_client().pttl(key), 0) / 1000 if key is not None else 0.0

    def release(self) -> None:
        """Give back whatever is still held, in one round trip. The wire rests `gap` before the next
        device's read: the lane stays held for exactly that long and then expires, so this worker goes on
        without sleeping through the gap."""
        keys, keeps = [], []
        if self.bus and self.bus_key is not None:
            keys.append(self.bus_key)
            keeps.append(int(self.gap * 1000))
        if self.device:
            keys.append(self.device_key)
            keeps.append(0)
        self.device = self.bus = False
        if keys and self._release(keys=keys, args=[self.token, *keeps]) < len(keys):
            log.warning("lock %s expired before its holder finished", " or ".join(keys))


def poll_locks_take(
    *, schema: str, device_id: int, bus_key: str | None, gap: float, device_wait: float, bus_wait: float
) -> PollLocks:
    """Take the device and its bus (one Redis round trip when both are free); `release()` what was taken.

    Waits up to `device_wait` for a running poll of the device to end, then up to `bus_wait` for the bus.
    A device alone on its link (`bus_key` None) needs no lane: once it holds the device, it has its `bus`.
    """
    locks = PollLocks(
        device_key=device_lock_key(schema=schema, device_id=device_id),
        bus_key=None if bus_key is None else bus_lock_key(bus_key),
        gap=gap,
    )
    locks.take(device_wait=device_wait, bus_wait=bus_wait)
    return locks
