from datetime import UTC, datetime

import pytest
from django_tenants.utils import tenant_context

from alarms.models import AlarmEvent, AlarmRule
from tests.helpers.devices import readings_store


def test_a_rule_for_every_device_is_created(acme_api):
    response = acme_api.post("/api/alarms/rules", {"metric": "voltage_l1", "operator": ">", "threshold": 133})

    assert response.status_code == 201
    body = response.json()
    assert (body["metric"], body["operator"], body["threshold"], body["device_id"]) == (
        "voltage_l1",
        ">",
        133.0,
        None,
    )


def test_a_rule_can_watch_one_device(acme_api, acme_device):
    response = acme_api.post(
        "/api/alarms/rules", {"metric": "power", "operator": "<", "threshold": 0, "device_id": acme_device.pk}
    )

    assert response.json()["device_id"] == acme_device.pk


@pytest.mark.parametrize("operator", [">", "<", ">=", "<=", "==", "!="])
def test_the_six_operators_are_accepted(acme_api, operator):
    response = acme_api.post("/api/alarms/rules", {"metric": "power", "operator": operator, "threshold": 1})

    assert response.status_code == 201


def test_an_unknown_operator_is_refused_naming_it(acme_api):
    response = acme_api.post("/api/alarms/rules", {"metric": "power", "operator": "=>", "threshold": 1})

    assert response.status_code == 400
    assert "operator" in response.json()


def test_a_bad_metric_name_is_refused(acme_api):
    response = acme_api.post("/api/alarms/rules", {"metric": "Voltage L1", "operator": ">", "threshold": 1})

    assert "metric" in response.json()


def test_a_rule_can_be_changed_and_deleted(acme_api, acme):
    rule_id = acme_api.post("/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 1}).json()[
        "id"
    ]

    changed = acme_api.patch(f"/api/alarms/rules/{rule_id}", {"threshold": 5000, "active": False})
    deleted = acme_api.delete(f"/api/alarms/rules/{rule_id}")

    assert changed.json()["threshold"] == 5000.0 and changed.json()["active"] is False
    assert deleted.status_code == 204
    with tenant_context(acme):
        assert not AlarmRule.objects.filter(pk=rule_id).exists()


def test_rules_are_filtered_by_device(acme_api, acme_device):
    acme_api.post("/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 1})
    acme_api.post(
        "/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 2, "device_id": acme_device.pk}
    )

    results = acme_api.get("/api/alarms/rules", {"device_id": acme_device.pk}).json()["results"]

    assert [rule["threshold"] for rule in results] == [2.0]


def test_events_are_listed_newest_first_and_filtered(acme_api, acme, acme_device):
    acme_api.post("/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 100})
    readings_store(
        acme,
        acme_device,
        [
            (datetime(2025, 3, 1, 12, tzinfo=UTC), {"power": 500.0}),
            (datetime(2025, 3, 1, 13, tzinfo=UTC), {"power": 50.0}),
        ],
    )

    everything = acme_api.get("/api/alarms/events", {"device_id": acme_device.pk}).json()["results"]
    recent = acme_api.get("/api/alarms/events", {"since": "2025-03-01T12:30:00Z"}).json()["results"]

    assert [(event["kind"], event["value"]) for event in everything] == [("cleared", 50.0), ("raised", 500.0)]
    assert everything[0]["ts"] == "2025-03-01T10:00:00-03:00"
    assert everything[0]["rule"] == "power > 100"
    assert [event["kind"] for event in recent] == ["cleared"]
    with tenant_context(acme):
        assert AlarmEvent.objects.count() == 2


def test_a_naive_since_is_refused(acme_api):
    assert "since" in acme_api.get("/api/alarms/events", {"since": "2025-03-01"}).json()


def test_a_threshold_must_be_a_number_not_a_boolean(acme_api):
    response = acme_api.post("/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": False})

    assert "threshold" in response.json()
