"""An offline rule raises when a device has sent nothing for its duration (the periodic check) and clears
on the device's next reading."""

import json
from datetime import timedelta

from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_tenants.utils import tenant_context

from alarms.services import alarm_client_check
from tests.helpers.alarms import events, rule_make
from tests.helpers.devices import device_add, readings_store


def test_a_silent_device_raises_after_the_duration_and_clears_on_its_next_reading(acme, acme_device):
    rule_make(acme, kind="offline", duration_s=600, device=acme_device)
    last = timezone.now() - timedelta(minutes=20)
    readings_store(acme, acme_device, [(last, {"power": 1.0})])
    with tenant_context(acme):
        assert alarm_client_check(now=last + timedelta(seconds=599)) == []
        [raised] = alarm_client_check(now=last + timedelta(seconds=700))
        assert alarm_client_check(now=last + timedelta(seconds=800)) == []

    assert (raised.kind, raised.ts, raised.value) == ("raised", last + timedelta(seconds=600), 700.0)

    readings_store(acme, acme_device, [(timezone.now(), {"power": 1.0})])

    assert [kind for kind, _, _ in events(acme)] == ["raised", "cleared"]


def test_a_rule_without_a_device_watches_every_device_of_the_client(acme, acme_device):
    quiet = device_add(acme, name="quiet")
    rule_make(acme, kind="offline", duration_s=600)
    now = timezone.now()
    readings_store(acme, acme_device, [(now - timedelta(seconds=30), {"power": 1.0})])
    readings_store(acme, quiet, [(now - timedelta(hours=1), {"power": 1.0})])

    with tenant_context(acme):
        raised = alarm_client_check(now=now)

    assert [event.device_id for event in raised] == [quiet.pk]


def test_an_old_reading_arriving_late_does_not_clear_an_offline_alarm(acme, acme_device):
    rule_make(acme, kind="offline", duration_s=600, device=acme_device)
    now = timezone.now()
    readings_store(acme, acme_device, [(now - timedelta(hours=2), {"power": 1.0})])
    with tenant_context(acme):
        alarm_client_check(now=now)

    readings_store(acme, acme_device, [(now - timedelta(hours=1), {"power": 1.0})])

    assert [kind for kind, _, _ in events(acme)] == ["raised"]


def test_the_client_gets_a_periodic_check_in_its_schema_while_it_has_rules(acme, acme_device):
    rule = rule_make(acme, kind="offline", duration_s=600)

    task = PeriodicTask.objects.get(name=f"alarms:{acme.schema_name}")
    assert task.task == "alarms.client_check"
    assert json.loads(task.headers) == {"_schema_name": acme.schema_name}

    with tenant_context(acme):
        from alarms.services import alarm_rule_delete

        alarm_rule_delete(rule=rule)
    assert not PeriodicTask.objects.filter(name=f"alarms:{acme.schema_name}").exists()
