"""Notification channels of a client, and the outbox drained as its Celery task drains it."""

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from notifications.services import NOTIFICATION_KIND, channel_create
from outbox.models import OutboxMessage
from outbox.services import outbox_drain
from tests.helpers.fake_receivers import FakeReceiver

SECRET = "webhook-secret-of-acme"


def channel_make(client, **fields):
    with tenant_context(client):
        return channel_create(fields={"name": fields.get("kind", "webhook")} | fields)


def webhook_make(client, receiver: FakeReceiver, **fields):
    config = {"url": f"{receiver.url}/hooks/pieng", "secret": SECRET}
    return channel_make(client, kind="webhook", config=config, **fields)


def drain() -> None:
    """One pass of the drain task, from the public schema as the worker runs it; messages waiting for
    their backoff are made due first (the test stands in for the time passing)."""
    connection.set_schema_to_public()
    OutboxMessage.objects.filter(kind=NOTIFICATION_KIND, state="pending").update(
        next_attempt_at=timezone.now()
    )
    outbox_drain(kind=NOTIFICATION_KIND, budget_s=30)


def notifications() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=NOTIFICATION_KIND).order_by("id"))
