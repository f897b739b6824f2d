"""One reading of any device, from its validated config: the entry point of the poller and of `meter read`."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from meters.drivers import driver_for
from meters.polling.timings import poll_phase
from meters.transports import ModbusLink, modbus_link_open

# A kept gateway connection unused this long is closed: its devices are gone, or polled rarely.
LINK_IDLE_S = 120.0


def device_read(*, device_type: str, config: dict, keep_open: bool = False) -> dict[str, float]:
    """Catalog metric name -> value; raises a `meters.errors.MeterError` whose text names the cause.

    The whole read, connection included, ends within POLL_READ_MAX_SECONDS. With `keep_open` a TCP
    gateway's connection is kept for the next read of a device behind it (by this process).
    """
    deadline = time.monotonic() + settings.POLL_READ_MAX_SECONDS
    if device_type == "tuya":
        # Imported here so that Modbus-only callers do not load tinytuya.
        from meters.drivers.tuya import tuya_read

        with poll_phase("wire"):
            return tuya_read(config=config)
    read = driver_for(config["driver"])
    with poll_phase("decode"):
        with _link(device_type=device_type, config=config, keep_open=keep_open) as link:
            link.deadline = deadline
            return read(link=link, slave_id=config["slave_id"])


@contextmanager
def _link(*, device_type: str, config: dict, keep_open: bool) -> Iterator[ModbusLink]:
    # A serial port is opened exclusively: kept open, it would lock out the other worker processes.
    if not (keep_open and device_type == "modbus_tcp" and settings.MODBUS_KEEP_CONNECTIONS):
        with poll_phase("wire"):
            link = modbus_link_open(device_type=device_type, config=config)
        with link:
            yield link
        return
    # One connection per gateway, whichever of its devices is read: the timing is each device's own.
    key = (config["host"], config["port"], config["framer"])
    link = _kept.take(key)
    if link is None:
        with poll_phase("wire"):
            link = modbus_link_open(device_type=device_type, config=config)
    else:
        link.timing_set(timeout=config["timeout"], retries=config["retries"], gap=config["gap"])
    try:
        yield link
    except BaseException:
        # A failed read may leave a late answer in flight on the connection: never reuse it.
        link.close()
        raise
    _kept.give_back(key, link)


class _KeptLinks:
    """Idle gateway connections of this process, one per gateway and config; the bus lane guarantees
    that one read at a time uses a gateway, so threads never share a link."""

    def __init__(self):
        self._idle: dict[tuple, tuple[ModbusLink, float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def take(self, key: tuple) -> ModbusLink | None:
        now = time.monotonic()
        with self._lock:
            entry = self._idle.pop(key, None)
            stale = self._sweep(now) if now >= self._next_sweep else []
        for old in stale:
            old.close()
        if entry is None:
            return None
        link, since = entry
        if now - since > LINK_IDLE_S:
            link.close()
            return None
        link.resumed = True
        return link

    def give_back(self, key: tuple, link: ModbusLink) -> None:
        with self._lock:
            previous = self._idle.pop(key, None)
            self._idle[key] = (link, time.monotonic())
        if previous is not None:
            previous[0].close()

    def _sweep(self, now: float) -> list[ModbusLink]:
        self._next_sweep = now + LINK_IDLE_S / 4
        stale = [key for key, (_, since) in self._idle.items() if now - since > LINK_IDLE_S]
        return [self._idle.pop(key)[0] for key in stale]


_kept = _KeptLinks()
