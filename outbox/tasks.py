"""Celery tasks of the outbox: thin wrappers around outbox.services."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection

from outbox.kinds import outbox_kinds
from outbox.services import DRAIN_TASK, outbox_drain, outbox_purge_delivered


@shared_task(name=DRAIN_TASK, ignore_result=True)
def drain(kind: str) -> int:
    """Deliver what is due of one kind (one drainer per kind: the others return at once)."""
    connection.set_schema_to_public()
    return outbox_drain(kind=kind)


@shared_task(name="outbox.drain_due", ignore_result=True)
def drain_due() -> None:
    """Beat's periodic entry: a drain of every kind, whether or not its kick got through, and the purge of
    messages delivered long ago."""
    connection.set_schema_to_public()
    for spec in outbox_kinds():
        drain.apply_async(kwargs={"kind": spec.kind})
    outbox_purge_delivered(older_than=timedelta(hours=settings.OUTBOX_KEEP_DELIVERED_HOURS))
