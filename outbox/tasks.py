"""Celery tasks of the outbox: thin wrappers around outbox.services."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_tenants.utils import get_public_schema_name

from outbox.kinds import outbox_kinds
from outbox.services import DRAIN_TASK, outbox_drain, outbox_purge_delivered


@shared_task(name=DRAIN_TASK, ignore_result=True)
def drain(kind: str) -> int:
    """Deliver what is due of one kind (one drainer per kind: the others return at once)."""
    connection.set_schema_to_public()
    return outbox_drain(kind=kind)


DRAIN_DUE_TASK = "outbox.drain_due"
DRAIN_DUE_SCHEDULE = "outbox-drain-due"


def drain_due_schedule_install(**kwargs) -> None:
    """Beat drains every kind every OUTBOX_DRAIN_INTERVAL_S, whatever got through of the kicks; written by
    `migrate` rather than by beat at its start, which would look like a schedule change to it."""
    if connection.schema_name != get_public_schema_name():
        return
    every = max(1, round(settings.OUTBOX_DRAIN_INTERVAL_S))
    interval = IntervalSchedule.objects.filter(every=every, period=IntervalSchedule.SECONDS).first()
    interval = interval or IntervalSchedule.objects.create(every=every, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name=DRAIN_DUE_SCHEDULE,
        defaults={"task": DRAIN_DUE_TASK, "interval": interval, "crontab": None, "enabled": True},
    )


@shared_task(name=DRAIN_DUE_TASK, ignore_result=True)
def drain_due() -> None:
    """Beat's periodic entry: a drain of every kind, whether or not its kick got through, and the purge of
    messages delivered long ago."""
    connection.set_schema_to_public()
    for spec in outbox_kinds():
        drain.apply_async(kwargs={"kind": spec.kind})
    outbox_purge_delivered(older_than=timedelta(hours=settings.OUTBOX_KEEP_DELIVERED_HOURS))
