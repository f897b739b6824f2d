"""Rules are evaluated on every stored reading, whichever way it came: one event when a rule becomes true,
one when it becomes false again, nothing in between."""

from datetime import UTC, datetime, timedelta

import pytest
from django_tenants.utils import tenant_context

from alarms.models import AlarmEvent, AlarmRule
from tests.helpers.devices import device_add, readings_store

START = datetime(2025, 3, 1, 12, tzinfo=UTC)


def rule_make(client, **fields) -> AlarmRule:
    with tenant_context(client):
        return AlarmRule.objects.create(**({"metric": "power", "operator": ">", "threshold": 100.0} | fields))


def power_readings(values: list[float], *, first: int = 0) -> list:
    return [(START + timedelta(minutes=first + n), {"power": value}) for n, value in enumerate(values)]


def events(client) -> list[tuple[str, float, int]]:
    with tenant_context(client):
        return [(e.kind, e.value, e.device_id) for e in AlarmEvent.objects.order_by("ts", "id")]


def test_a_rule_raises_once_while_true_and_clears_once_when_the_value_comes_back(acme, acme_device):
    rule_make(acme)

    readings_store(acme, acme_device, power_readings([50, 500, 600, 700, 50, 40]))

    assert events(acme) == [("raised", 500.0, acme_device.pk), ("cleared", 50.0, acme_device.pk)]


def test_a_rule_that_stays_true_across_batches_does_not_repeat(acme, acme_device):
    rule_make(acme)

    readings_store(acme, acme_device, power_readings([500]))
    readings_store(acme, acme_device, power_readings([600], first=1))
    readings_store(acme, acme_device, power_readings([50], first=2))

    assert [kind for kind, _, _ in events(acme)] == ["raised", "cleared"]


def test_an_older_reading_arriving_late_does_not_flip_the_alarm(acme, acme_device):
    rule_make(acme)
    readings_store(acme, acme_device, power_readings([500], first=10))

    readings_store(acme, acme_device, power_readings([50], first=0))

    assert [kind for kind, _, _ in events(acme)] == ["raised"]


def test_a_rule_for_one_device_ignores_the_others(acme, acme_device):
    other = device_add(acme, name="other")
    rule_make(acme, device=other)

    readings_store(acme, acme_device, power_readings([500]))

    assert events(acme) == []


def test_a_rule_for_every_device_keeps_one_state_per_device(acme, acme_device):
    other = device_add(acme, name="other")
    rule_make(acme)

    readings_store(acme, acme_device, power_readings([500]))
    readings_store(acme, other, power_readings([500, 50]))

    assert sorted(events(acme)) == sorted(
        [("raised", 500.0, acme_device.pk), ("raised", 500.0, other.pk), ("cleared", 50.0, other.pk)]
    )


def test_an_inactive_rule_is_not_evaluated(acme, acme_device):
    rule_make(acme, active=False)

    readings_store(acme, acme_device, power_readings([500]))

    assert events(acme) == []


@pytest.mark.parametrize(
    ("operator", "raising", "quiet"),
    [
        (">", 101, 100),
        ("<", 99, 100),
        (">=", 100, 99.9),
        ("<=", 100, 100.1),
        ("==", 100, 100.5),
        ("!=", 7, 100),
    ],
)
def test_each_operator_compares_the_value_with_the_threshold(acme, acme_device, operator, raising, quiet):
    rule_make(acme, operator=operator)

    readings_store(acme, acme_device, power_readings([quiet, raising]))

    assert events(acme) == [("raised", float(raising), acme_device.pk)]


def test_a_refused_batch_raises_nothing(acme_api, acme, acme_device):
    rule_make(acme)
    batch = [
        {"device_id": acme_device.pk, "ts": "2025-03-01T12:00:00Z", "metrics": {"power": 500}},
        {"device_id": acme_device.pk, "ts": "2025-03-01T12:01:00Z", "metrics": {"power": "x"}},
    ]

    assert acme_api.post("/api/ingest", batch).status_code == 400
    assert events(acme) == []


def test_readings_pushed_over_http_raise_alarms_as_polled_ones_do(acme_api, acme, acme_device):
    rule_make(acme)

    acme_api.post(
        "/api/ingest", {"device_id": acme_device.pk, "ts": "2025-03-01T12:00:00Z", "metrics": {"power": 500}}
    )

    assert events(acme) == [("raised", 500.0, acme_device.pk)]
