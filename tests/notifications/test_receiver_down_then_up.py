"""A receiver that is down holds nothing up: ingest goes on, the deliveries wait in the outbox with their
attempts and last error, and once it is back it gets every event, once each by delivery id."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from tests.helpers.alarms import rule_make
from tests.helpers.devices import device_add, readings_store
from tests.helpers.notifications import drain, notifications, webhook_make

START = datetime(2025, 3, 1, 12, tzinfo=UTC)


def test_a_receiver_down_then_up_gets_every_event_once(acme, acme_device, receiver):
    webhook_make(acme, receiver)
    rule_make(acme, threshold=100.0)
    rule_make(acme, metric="voltage_l1", operator="<", threshold=110.0)
    other = device_add(acme, name="other")
    receiver.status = 503

    # While it is down: three raises and a clear, on two devices, each batch stored at once.
    readings_store(acme, acme_device, [(START, {"power": 500.0, "voltage_l1": 100.0})])
    readings_store(acme, other, [(START, {"power": 900.0})])
    readings_store(acme, acme_device, [(START + timedelta(minutes=1), {"power": 5.0, "voltage_l1": 100.0})])
    for _ in range(3):  # a minute of retries
        drain()

    pending = notifications()
    assert len(pending) == 4
    assert all(m.state == "pending" and m.attempts == 3 and "503" in m.last_error for m in pending)

    receiver.status = 200
    drain()
    drain()

    delivered = [json.loads(request.body) for request in receiver.delivered()]
    counts = Counter(body["delivery_id"] for body in delivered)
    assert sorted(counts.values()) == [1, 1, 1, 1]
    assert sorted((body["device"]["name"], body["metric"], body["event"]) for body in delivered) == [
        ("SDM630 entrada", "power", "cleared"),
        ("SDM630 entrada", "power", "raised"),
        ("SDM630 entrada", "voltage_l1", "raised"),
        ("other", "power", "raised"),
    ]
    # The attempts while it was down carried the same delivery ids.
    assert {json.loads(r.body)["delivery_id"] for r in receiver.requests} == set(counts)
    assert all(m.state == "delivered" for m in notifications())


def test_a_receiver_that_refuses_for_good_parks_the_message_with_its_answer(acme, acme_device, receiver):
    webhook_make(acme, receiver)
    rule_make(acme)
    receiver.status = 410

    readings_store(acme, acme_device, [(START, {"power": 500.0})])
    drain()
    drain()

    [message] = notifications()
    assert (message.state, message.attempts) == ("parked", 1)
    assert "410" in message.last_error
