"""Acknowledging an alarm records who saw it, when and why; the alarm stays active until it clears."""

from datetime import UTC, datetime

from tests.helpers.devices import readings_store

T0 = datetime(2025, 3, 1, 12, tzinfo=UTC)
T1 = datetime(2025, 3, 1, 12, 1, tzinfo=UTC)


def raised_event_id(acme_api, acme, acme_device) -> int:
    acme_api.post(
        "/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 100, "severity": "critical"}
    )
    readings_store(acme, acme_device, [(T0, {"power": 500.0})])
    [event] = acme_api.get("/api/alarms/events", {"active": "true"}).json()["results"]
    return event["id"]


def test_an_acknowledged_alarm_stays_active_with_who_when_and_the_note(acme_api, acme, acme_device):
    event_id = raised_event_id(acme_api, acme, acme_device)

    response = acme_api.post(f"/api/alarms/events/{event_id}/ack", {"note": "Equipe a caminho"})

    assert response.status_code == 200
    [active] = acme_api.get("/api/alarms/events", {"active": "true"}).json()["results"]
    assert active["id"] == event_id and active["active"] is True
    assert (active["acknowledged_by"], active["note"], active["severity"]) == (
        "acme-user",
        "Equipe a caminho",
        "critical",
    )
    assert active["acknowledged_at"] is not None


def test_a_cleared_alarm_leaves_the_active_list_and_stays_in_the_history(acme_api, acme, acme_device):
    event_id = raised_event_id(acme_api, acme, acme_device)

    readings_store(acme, acme_device, [(T1, {"power": 5.0})])

    assert acme_api.get("/api/alarms/events", {"active": "true"}).json()["results"] == []
    history = acme_api.get("/api/alarms/events").json()["results"]
    assert [(event["kind"], event["active"]) for event in history] == [("cleared", False), ("raised", False)]
    assert history[1]["id"] == event_id and history[1]["cleared_at"] == "2025-03-01T09:01:00-03:00"


def test_the_note_is_optional(acme_api, acme, acme_device):
    event_id = raised_event_id(acme_api, acme, acme_device)

    assert acme_api.post(f"/api/alarms/events/{event_id}/ack", {}).json()["note"] == ""


def test_a_second_acknowledgement_keeps_the_first(acme_api, acme, acme_device):
    event_id = raised_event_id(acme_api, acme, acme_device)
    acme_api.post(f"/api/alarms/events/{event_id}/ack", {"note": "first"})

    assert acme_api.post(f"/api/alarms/events/{event_id}/ack", {"note": "second"}).json()["note"] == "first"


def test_a_cleared_event_cannot_be_acknowledged(acme_api, acme, acme_device):
    raised_event_id(acme_api, acme, acme_device)
    readings_store(acme, acme_device, [(T1, {"power": 5.0})])
    cleared = acme_api.get("/api/alarms/events", {"kind": "cleared"}).json()["results"][0]["id"]

    response = acme_api.post(f"/api/alarms/events/{cleared}/ack", {})

    assert response.status_code == 400 and "id" in response.json()


def test_a_note_too_long_is_refused_naming_it(acme_api, acme, acme_device):
    event_id = raised_event_id(acme_api, acme, acme_device)

    response = acme_api.post(f"/api/alarms/events/{event_id}/ack", {"note": "x" * 501})

    assert response.status_code == 400 and "note" in response.json()


def test_another_clients_event_is_not_found(acme_api, globex_api, acme, acme_device):
    event_id = raised_event_id(acme_api, acme, acme_device)

    assert globex_api.post(f"/api/alarms/events/{event_id}/ack", {}).status_code == 404
