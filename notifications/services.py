"""Notification channels (writes) and the delivery of alarm events to them through the outbox.

Events are queued in the transaction that raised them (the ingest's, or the periodic check's): one outbox
message per event and channel, naming them by id. The message is rendered when it is sent, in the
client's schema, so no secret is copied into the outbox; the delivery id stays the same across retries,
and receivers de-duplicate by it.
"""

import uuid
from collections import defaultdict

from django_tenants.utils import schema_context

from alarms.models import SEVERITY_RANK, AlarmEvent
from meters.config import ConfigError
from notifications.channels import (
    Sent,
    channel_config_clean,
    email_send,
    sms_send,
    telegram_send,
    webhook_send,
)
from notifications.messages import EventContext, notification_text, webhook_body
from notifications.models import NotificationChannel
from outbox.kinds import DeliveryResult, OutboxMessage
from outbox.services import outbox_put
from tenants.models import Client

NOTIFICATION_KIND = "notification"


def channel_create(*, fields: dict) -> NotificationChannel:
    """A new channel; `fields["config"]` is checked against the kind (ConfigError names the field)."""
    fields = dict(fields)
    fields["config"] = channel_config_clean(kind=fields["kind"], config=fields.get("config", {}))
    channel = NotificationChannel(**fields)
    channel.full_clean()
    channel.save()
    return channel


def channel_update(*, channel: NotificationChannel, fields: dict) -> NotificationChannel:
    """Secrets the config omits, or sends masked, keep their stored values (for the same kind)."""
    kind = fields.get("kind", channel.kind)
    stored = channel.config if kind == channel.kind else {}
    if "config" in fields or kind != channel.kind:
        fields = fields | {
            "config": channel_config_clean(
                kind=kind, config=fields.get("config", channel.config), stored=stored
            )
        }
    for name, value in fields.items():
        setattr(channel, name, value)
    channel.full_clean()
    channel.save()
    return channel


def notifications_queue(*, events: list[AlarmEvent]) -> int:
    """An outbox message per event and channel that wants it, in the caller's transaction."""
    if not events:
        return 0
    channels = list(NotificationChannel.objects.filter(active=True))
    queued = 0
    for event in events:
        for channel in channels:
            if SEVERITY_RANK[event.severity] < SEVERITY_RANK[channel.min_severity]:
                continue
            if event.kind == AlarmEvent.Kind.CLEARED and not channel.send_cleared:
                continue
            payload = {
                "channel_id": channel.pk,
                "event_id": event.pk,
                "delivery_id": str(uuid.uuid4()),
            }
            outbox_put(kind=NOTIFICATION_KIND, payload=payload)
            queued += 1
    return queued


def notifications_deliver(messages: list[OutboxMessage]) -> DeliveryResult:
    """The outbox's deliver function of the notification kind: each message sent to its channel."""
    delivered: list[int] = []
    retry: dict[int, str] = {}
    parked: dict[int, str] = {}
    by_schema: dict[str, list[OutboxMessage]] = defaultdict(list)
    for message in messages:
        by_schema[message.schema_name].append(message)
    for schema, batch in by_schema.items():
        client = Client.objects.filter(schema_name=schema).first()
        if client is None:
            parked |= {message.id: f"no client with schema {schema}" for message in batch}
            continue
        with schema_context(schema):
            channels = NotificationChannel.objects.in_bulk({m.payload["channel_id"] for m in batch})
            events = AlarmEvent.objects.select_related("rule", "device").in_bulk(
                {m.payload["event_id"] for m in batch}
            )
            for message in batch:
                channel = channels.get(message.payload["channel_id"])
                event = events.get(message.payload["event_id"])
                if channel is None or event is None:
                    parked[message.id] = "the channel or the event was deleted"
                    continue
                context = EventContext(
                    event=event,
                    rule=event.rule,
                    device=event.device,
                    client_slug=client.slug,
                    client_name=client.name,
                    time_zone=client.time_zone,
                )
                sent = _send(channel=channel, context=context, delivery_id=message.payload["delivery_id"])
                if sent.ok:
                    delivered.append(message.id)
                elif sent.retry:
                    retry[message.id] = sent.error
                else:
                    parked[message.id] = sent.error
    return DeliveryResult(delivered=delivered, retry=retry, parked=parked)


def _send(*, channel: NotificationChannel, context: EventContext, delivery_id: str) -> Sent:
    try:
        config = channel_config_clean(kind=channel.kind, config=channel.config)
    except ConfigError as error:
        return Sent(ok=False, error=f"channel config: {error}")
    if channel.kind == NotificationChannel.Kind.WEBHOOK:
        return webhook_send(config=config, body=webhook_body(context=context, delivery_id=delivery_id))
    subject, text = notification_text(context=context)
    if channel.kind == NotificationChannel.Kind.EMAIL:
        return email_send(config=config, subject=subject, text=text)
    if channel.kind == NotificationChannel.Kind.TELEGRAM:
        return telegram_send(config=config, text=text)
    return sms_send(config=config, text=text)
