"""A value flapping across the threshold is recorded every time, but notified at most twice within the
cooldown: its first raise and that raise's clear. A raise held back is sent once the cooldown is over if
the alarm is still up."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from alarms.models import AlarmEvent
from alarms.services import alarm_client_check
from tests.helpers.alarms import rule_make
from tests.helpers.devices import readings_store
from tests.helpers.notifications import channel_make, notifications

START = datetime(2025, 3, 1, 12, tzinfo=UTC)


def flaps(count: int, *, first: int = 0) -> list:
    return [
        (START + timedelta(seconds=5 * (first + n)), {"power": 500.0 if n % 2 == 0 else 5.0})
        for n in range(count)
    ]


def test_a_hundred_flaps_within_the_cooldown_send_at_most_two_messages(acme, acme_device):
    channel_make(acme, kind="email", config={"to": ["ops@acme.example"]})
    rule_make(acme)

    # 100 flaps, in ten batches.
    for n in range(10):
        readings_store(acme, acme_device, flaps(20, first=20 * n))

    with tenant_context(acme):
        assert AlarmEvent.objects.count() == 200
    assert len(notifications()) <= 2


def test_a_raise_held_back_is_sent_when_the_cooldown_is_over_and_the_alarm_is_still_up(
    acme, acme_device, settings
):
    channel_make(acme, kind="email", config={"to": ["ops@acme.example"]})
    rule_make(acme)
    readings_store(acme, acme_device, flaps(3))  # raised, cleared, raised again: the second raise held back
    assert len(notifications()) == 2

    with tenant_context(acme):
        alarm_client_check(now=timezone.now() + timedelta(seconds=settings.ALARM_NOTIFY_COOLDOWN - 10))
        assert len(notifications()) == 2
        alarm_client_check(now=timezone.now() + timedelta(seconds=settings.ALARM_NOTIFY_COOLDOWN + 1))
        alarm_client_check(now=timezone.now() + timedelta(seconds=settings.ALARM_NOTIFY_COOLDOWN + 2))

    [_, _, late] = notifications()
    with tenant_context(acme):
        assert AlarmEvent.objects.get(pk=late.payload["event_id"]).kind == "raised"
