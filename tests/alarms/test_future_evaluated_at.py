"""A state that holds a time far in the future (a reading with a bad clock, stored before the ingest
refused such times) does not hold every later reading off: the next reading heals it."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from alarms.models import AlarmState
from tests.helpers.alarms import events, rule_make
from tests.helpers.devices import readings_store


def test_a_state_evaluated_a_year_ahead_is_healed_by_the_next_reading(acme, acme_device):
    rule = rule_make(acme)
    now = timezone.now()
    readings_store(acme, acme_device, [(now - timedelta(minutes=1), {"power": 50.0})])
    with tenant_context(acme):
        AlarmState.objects.filter(rule=rule).update(evaluated_at=now + timedelta(days=365))

    readings_store(acme, acme_device, [(now, {"power": 500.0})])

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 500.0)]
    with tenant_context(acme):
        assert AlarmState.objects.get(rule=rule).evaluated_at == now


def test_a_pending_duration_started_in_the_future_is_healed_too(acme, acme_device):
    rule = rule_make(acme, duration_s=60)
    now = timezone.now()
    readings_store(acme, acme_device, [(now - timedelta(minutes=5), {"power": 50.0})])
    with tenant_context(acme):
        AlarmState.objects.filter(rule=rule).update(
            evaluated_at=now + timedelta(days=365), pending_since=now + timedelta(days=365)
        )

    readings_store(
        acme, acme_device, [(now - timedelta(minutes=2), {"power": 500.0}), (now, {"power": 500.0})]
    )

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 500.0)]
