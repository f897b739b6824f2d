"""One django-celery-beat PeriodicTask per active device, kept in step with the device.

PeriodicTask is a shared table (public schema); the task's headers carry the device's client schema, so
tenant-schemas-celery runs each poll in that client's schema.
"""

import json
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks
from django_tenants.utils import get_public_schema_name

from meters.models import Device
from meters.polling.collectors import collector_queue
from tenants.models import Client

POLL_TASK = "meters.poll_device"
SCHEDULE_PREFIX = "poll:"
GOLDEN_FRACTION = 0.6180339887


class TenantRequired(RuntimeError):
    """Device work ran in the public schema: it belongs to one client's schema, never to public."""


def tenant_schema_require() -> str:
    """The current client schema; raises rather than let device work run silently in public."""
    schema = connection.schema_name
    if schema == get_public_schema_name():
        raise TenantRequired(
            "no client schema is set: a poll task needs the _schema_name header (send it from the "
            "client's schema, or through its PeriodicTask)"
        )
    return schema


def poll_schedule_name(*, schema: str, device_id: int) -> str:
    return f"{SCHEDULE_PREFIX}{schema}:{device_id}"


def device_schedule_sync(*, device: Device) -> PeriodicTask | None:
    """Create, update or remove the device's PeriodicTask; returns it, or None when the device is not
    polled (inactive, or a mirror of a master's device). Call it in the device's client schema after each
    save.
    """
    schema = tenant_schema_require()
    name = poll_schedule_name(schema=schema, device_id=device.pk)
    if not device.is_polled:
        PeriodicTask.objects.filter(name=name).delete()
        return None
    wanted = {
        "task": POLL_TASK,
        "interval": interval_schedule(seconds=device.poll_interval),
        "kwargs": json.dumps({"device_id": device.pk}),
        "headers": json.dumps({"_schema_name": schema}),
        # A poll that could not start within its interval is superseded by the next one: drop it rather
        # than let a backlog fire all at once after an outage.
        "expire_seconds": device.poll_interval,
        # A collector's devices go to its own queue, which only its workers consume.
        "queue": collector_queue(device.collector),
        # A suspended client's devices keep their schedules, disabled until it is active again.
        "enabled": Client.objects.filter(schema_name=schema, active=True).exists(),
        "description": f"Poll {device.name}",
    }
    task = PeriodicTask.objects.filter(name=name).first()
    if task is None:
        # First poll within one interval, at the device's own phase: devices added together (a gateway's
        # ten meters, a whole site) do not all fall due, and queue for their bus, at the same moment.
        phase = poll_phase_seconds(device_id=device.pk, interval=device.poll_interval)
        task = PeriodicTask(name=name, last_run_at=timezone.now() - timedelta(seconds=phase))
    elif all(getattr(task, field) == value for field, value in wanted.items()):
        # Unchanged: saving would make beat reload every schedule for nothing.
        return task
    for field, value in wanted.items():
        setattr(task, field, value)
    task.save()
    return task


def poll_phase_seconds(*, device_id: int, interval: int) -> float:
    """How long before now a new device's schedule says it was last polled, in [0, interval).

    Successive ids land far apart on the interval (golden-ratio steps), for any interval.
    """
    return (device_id * GOLDEN_FRACTION) % 1.0 * interval


def device_schedule_remove(*, schema: str, device_id: int) -> None:
    PeriodicTask.objects.filter(name=poll_schedule_name(schema=schema, device_id=device_id)).delete()


def client_schedules_enable(*, schema: str, enabled: bool) -> int:
    """Switch a client's polls off while it is suspended and on again after; returns how many changed."""
    changed = (
        PeriodicTask.objects.filter(name__startswith=f"{SCHEDULE_PREFIX}{schema}:")
        .exclude(enabled=enabled)
        .update(enabled=enabled)
    )
    if changed:
        # A queryset update sends no signal: tell beat to reload.
        PeriodicTasks.update_changed()
    return changed


def client_schedules_remove(*, schema: str) -> int:
    """Remove the polls of a client whose schema is gone; returns how many there were."""
    deleted, _ = PeriodicTask.objects.filter(name__startswith=f"{SCHEDULE_PREFIX}{schema}:").delete()
    return deleted


def interval_schedule(*, seconds: int) -> IntervalSchedule:
    # IntervalSchedule has no unique constraint: reuse the first match rather than get_or_create, which
    # fails once two equal rows exist.
    interval = IntervalSchedule.objects.filter(every=seconds, period=IntervalSchedule.SECONDS).first()
    return interval or IntervalSchedule.objects.create(every=seconds, period=IntervalSchedule.SECONDS)
