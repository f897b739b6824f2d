"""A channel hears of the events of its minimum severity and up, and of cleared events only if it asks."""

from datetime import UTC, datetime, timedelta

from tests.helpers.alarms import rule_make
from tests.helpers.devices import readings_store
from tests.helpers.notifications import channel_make, notifications

START = datetime(2025, 3, 1, 12, tzinfo=UTC)


def test_each_channel_gets_what_it_chose(acme, acme_device):
    everything = channel_make(acme, kind="email", min_severity="info", config={"to": ["a@acme.example"]})
    critical_raises = channel_make(
        acme, kind="email", min_severity="critical", send_cleared=False, config={"to": ["b@acme.example"]}
    )
    rule_make(acme, severity="warning")
    rule_make(acme, metric="voltage_l1", operator="<", threshold=110.0, severity="critical")

    readings_store(acme, acme_device, [(START, {"power": 500.0, "voltage_l1": 100.0})])
    readings_store(acme, acme_device, [(START + timedelta(minutes=1), {"power": 5.0, "voltage_l1": 127.0})])

    per_channel = [message.payload["channel_id"] for message in notifications()]
    assert per_channel.count(everything.pk) == 4
    assert per_channel.count(critical_raises.pk) == 1


def test_a_refused_batch_queues_nothing(acme_api, acme, acme_device):
    channel_make(acme, kind="email", config={"to": ["a@acme.example"]})
    rule_make(acme)
    batch = [
        {"device_id": acme_device.pk, "ts": "2025-03-01T12:00:00Z", "metrics": {"power": 500}},
        {"device_id": acme_device.pk, "ts": "2025-03-01T12:01:00Z", "metrics": {"power": None}},
    ]

    assert acme_api.post("/api/ingest", batch).status_code == 400
    assert notifications() == []
