"""An undelivered outbox message shows in /metrics as backlog of its kind, with its age."""

from datetime import timedelta

from django.utils import timezone

from outbox.models import OutboxMessage
from tests.helpers.metrics import scrape


def test_an_undelivered_message_is_backlog_of_its_kind(client, metrics_token, db):
    OutboxMessage.objects.create(
        kind="notification", schema_name="client_acme", payload={}, created_at=timezone.now()
    )
    OutboxMessage.objects.filter(kind="notification").update(created_at=timezone.now() - timedelta(minutes=2))

    figures = scrape(client, metrics_token)

    assert figures[("pieng_outbox_backlog", (("kind", "notification"),))] >= 1
    assert figures[("pieng_outbox_oldest_seconds", (("kind", "notification"),))] >= 120
