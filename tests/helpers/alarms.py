"""Alarm rules, readings and events of a client, written through the services and the one ingest path."""

from datetime import UTC, datetime, timedelta

from django_tenants.utils import tenant_context

from alarms.models import AlarmEvent, AlarmRule
from alarms.services import alarm_rule_create

START = datetime(2025, 3, 1, 12, tzinfo=UTC)


def rule_make(client, **fields) -> AlarmRule:
    """A rule of `client`, `power > 100` unless the fields say otherwise."""
    with tenant_context(client):
        return alarm_rule_create(fields={"metric": "power", "operator": ">", "threshold": 100.0} | fields)


def power_at(seconds: list[float], values: list[float], *, start: datetime = START) -> list:
    """Readings of `power` at the given seconds after `start`."""
    return [(start + timedelta(seconds=s), {"power": v}) for s, v in zip(seconds, values, strict=True)]


def power_every_minute(values: list[float], *, start: datetime = START) -> list:
    return power_at([60 * n for n in range(len(values))], values, start=start)


def events(client) -> list[tuple[str, float | None, datetime]]:
    """(kind, value, ts) of the client's events, oldest first."""
    with tenant_context(client):
        return [(e.kind, e.value, e.ts) for e in AlarmEvent.objects.order_by("ts", "id")]
