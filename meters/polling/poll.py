"""One poll of one device: read it through its bus lane, store the reading, keep its status."""

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from meters.errors import MeterError, MeterTimeout
from meters.models import Device
from meters.polling.backoff import poll_is_due
from meters.polling.lanes import poll_locks_take
from meters.polling.schedule import tenant_schema_require
from meters.polling.timings import PollTimer, poll_phase
from meters.reader import device_read
from meters.readings.ingest import ReadingIn, readings_ingest

log = logging.getLogger(__name__)

# A poll's statements in SQL rather than built by the ORM each time: building them cost more CPU than
# the database spent running them.
DEVICE_LOAD = "SELECT * FROM meters_device WHERE id = %s AND active"
STATUS_STORED = """
    UPDATE meters_device
    SET last_reading_at = %s, last_attempt_at = %s, last_error = '', consecutive_failures = 0 WHERE id = %s
"""


class PollStatus(StrEnum):
    STORED = "stored"
    FAILED = "failed"
    TIMED_OUT = "timed out"
    BACKING_OFF = "backing off"
    ALREADY_POLLING = "already polling"
    BUS_BUSY = "bus busy"
    NOT_POLLED = "not polled"  # deleted or deactivated since the task was sent
    COLLECTOR_OFFLINE = "collector offline"  # a read now of a device whose collector runs no worker
    COLLECTOR_SILENT = "collector silent"  # ... whose collector did not answer in time


@dataclass(frozen=True)
class PollOutcome:
    status: PollStatus
    ts: datetime | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    error: str = ""
    # Wall-clock seconds per phase of the poll (device_load, locks, wire, decode, store, alarms, outbox,
    # status), as meters.polling.timings measured them; a phase the poll did not reach is absent.
    timings: dict[str, float] = field(default_factory=dict)
    # The same phases in CPU seconds of the polling thread.
    cpu: dict[str, float] = field(default_factory=dict, repr=False)
    # Kept out by another poll's lock (already polling, bus busy): seconds until that lock expires.
    blocked_for: float = 0.0


def device_poll(*, device: Device, force: bool = False) -> PollOutcome:
    """Read the device now and store the reading, or say why not.

    Scheduled polls skip a meter that is backed off or already being polled. `force` (an operator's
    "read now") ignores the backoff and waits for a running poll of the device to finish; both kinds
    take the bus lane, so they never talk over another read on the same wire.
    """
    timer = PollTimer()
    with timer.running():
        outcome = _poll(device=device, force=force, timer=timer)
    return replace(outcome, timings=timer.wall, cpu=timer.cpu)


def device_poll_by_id(*, device_id: int) -> PollOutcome:
    """What a scheduled poll task does: the device may have gone since beat sent the task."""
    timer = PollTimer()
    with timer.running():
        with timer.phase("device_load"):
            device = next(iter(Device.objects.raw(DEVICE_LOAD, [device_id])), None)
        outcome = PollOutcome(PollStatus.NOT_POLLED) if device is None else _poll(device=device, timer=timer)
    return replace(outcome, timings=timer.wall, cpu=timer.cpu)


def _poll(*, device: Device, timer: PollTimer, force: bool = False) -> PollOutcome:
    # The device and its status are loaded once, before the locks: a scheduled poll of the same device
    # is 30 s away, so the status cannot be older than the poll that the device lock would wait for.
    schema = tenant_schema_require()
    if not force and not poll_is_due(
        now=timezone.now(),
        last_attempt_at=device.last_attempt_at,
        consecutive_failures=device.consecutive_failures,
    ):
        return PollOutcome(PollStatus.BACKING_OFF, error=device.last_error)
    wait = device_lane_wait(device=device)
    with timer.phase("locks"):
        held = poll_locks_take(
            schema=schema,
            device_id=device.pk,
            bus_key=device.bus_key,
            gap=device.config.get("gap", 0.0),
            device_wait=wait if force else 0.0,
            bus_wait=wait,
        )
    try:
        if not held.device:
            return PollOutcome(PollStatus.ALREADY_POLLING, blocked_for=held.blocked_for())
        if not held.bus:
            log.warning("poll of %s skipped: bus %s stayed busy for %g s", device, device.bus_key, wait)
            return PollOutcome(PollStatus.BUS_BUSY, blocked_for=held.blocked_for())
        attempted_at = timezone.now()
        # Both locks are given back together once the poll is done (one Redis round trip): the bus is
        # held through the store too, milliseconds against the tens of its gap.
        try:
            metrics = device_read(device_type=device.device_type, config=device.config, keep_open=True)
        except MeterError as failure:
            # The meter may still answer the request that timed out: the wire rests one timeout
            # more before the next device's read, so that late answer cannot collide with it.
            held.gap = max(held.gap, float(device.config.get("timeout", 0.0)))
            _failure_log(device=device, schema=schema, error=str(failure))
            with timer.phase("status"):
                device_failure_record(device=device, attempted_at=attempted_at, error=str(failure))
            status = PollStatus.TIMED_OUT if isinstance(failure, MeterTimeout) else PollStatus.FAILED
            return PollOutcome(status, ts=attempted_at, error=str(failure))
        if device.consecutive_failures:
            log.info(
                "poll of device %s (client %s, bus %s) succeeds again after %d failures",
                device.pk,
                schema,
                device.bus_key,
                device.consecutive_failures,
                extra={"device": device.pk, "client": schema, "bus": device.bus_key},
            )
        device_reading_store(device=device, ts=attempted_at, metrics=metrics)
        return PollOutcome(PollStatus.STORED, ts=attempted_at, metrics=metrics)
    finally:
        with timer.phase("locks"):
            held.release()


def device_reading_store(*, device: Device, ts: datetime, metrics: dict[str, float]) -> None:
    """Store a reading and the device's success in one transaction: forwarding sees both or neither."""
    with poll_phase("store"), transaction.atomic():
        readings_ingest(readings=[ReadingIn(device_id=device.pk, ts=ts, metrics=metrics)], devices_known=True)
        with poll_phase("status"), connection.cursor() as cursor:
            cursor.execute(STATUS_STORED, [ts, ts, device.pk])


def device_failure_record(*, device: Device, attempted_at: datetime, error: str) -> None:
    # An update, not save(): status changes must not fire the device's post_save (schedule sync).
    Device.objects.filter(pk=device.pk).update(
        last_attempt_at=attempted_at,
        last_error=error[:1000],
        consecutive_failures=F("consecutive_failures") + 1,
    )


def _failure_log(*, device: Device, schema: str, error: str) -> None:
    """Once per change of state (working -> failing, or another cause), not on every poll of a dead
    meter: the device's status holds the rest."""
    if device.consecutive_failures and device.last_error == error[:1000]:
        return
    log.warning(
        "poll of device %s (client %s, bus %s) failed: %s",
        device.pk,
        schema,
        device.bus_key,
        error,
        extra={"device": device.pk, "client": schema, "bus": device.bus_key, "cause": error},
    )


def device_lane_wait(*, device: Device) -> float:
    """How long a poll waits for its bus: past its interval, the next scheduled poll has taken its place;
    and it must leave the read itself time within the task's soft time limit."""
    return float(min(device.poll_interval, settings.CELERY_TASK_SOFT_TIME_LIMIT / 2))
