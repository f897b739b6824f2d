"""A webhook delivery is the JSON of the contract, signed with the channel's secret over the raw body."""

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime

from tests.helpers.alarms import rule_make
from tests.helpers.devices import readings_store
from tests.helpers.notifications import SECRET, drain, webhook_make


def test_the_signature_verifies_with_the_channels_secret(acme, acme_device, receiver):
    webhook_make(acme, receiver)
    rule = rule_make(acme, name="Sobrecarga", severity="critical")

    readings_store(acme, acme_device, [(datetime(2025, 3, 1, 12, tzinfo=UTC), {"power": 5230.5})])
    drain()

    [request] = receiver.delivered()
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["X-Pieng-Signature"], expected)
    body = json.loads(request.body)
    assert uuid.UUID(body.pop("delivery_id"))
    assert body == {
        "event": "raised",
        "severity": "critical",
        "client": "acme",
        "device": {"id": acme_device.pk, "uuid": str(acme_device.uuid), "name": "SDM630 entrada"},
        "rule": {"id": rule.pk, "name": "Sobrecarga", "kind": "threshold"},
        "metric": "power",
        "value": 5230.5,
        "threshold": 100.0,
        "ts": "2025-03-01T09:00:00-03:00",
    }
    assert request.path == "/hooks/pieng"


def test_a_signature_made_with_another_secret_does_not_verify(acme, acme_device, receiver):
    webhook_make(acme, receiver)
    rule_make(acme)

    readings_store(acme, acme_device, [(datetime(2025, 3, 1, 12, tzinfo=UTC), {"power": 500.0})])
    drain()

    [request] = receiver.delivered()
    forged = "sha256=" + hmac.new(b"another-secret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Pieng-Signature"] != forged
