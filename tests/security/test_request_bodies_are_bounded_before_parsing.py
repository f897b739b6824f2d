"""A request body over its limit is a 413 before anything parses it, for anonymous and signed-in callers
alike: 64 kB in general, 20 MB for readings pushed to the ingest endpoint, 32 MB for a master's forwarded
batches."""

import json
import socket
from datetime import UTC, datetime, timedelta

from forwarding.models import MirrorClient
from forwarding.services import link_create
from tests.helpers.api import ACME, PLATFORM, api_client
from tests.helpers.forwarding import forward_body

BIG = "x" * (65 * 1024)


def test_an_anonymous_body_over_64_kb_is_refused_with_413(anonymous_api, client):
    token = anonymous_api.post("/api/token", {"username": BIG, "password": "p"})
    login = client.post("/login/", {"username": BIG, "password": "p"}, HTTP_HOST=ACME)

    assert token.status_code == 413 and "at most 65536" in token.json()["detail"]
    assert login.status_code == 413


def test_a_signed_in_body_over_64_kb_is_refused_with_413(acme_api):
    response = acme_api.post("/api/devices", {"name": BIG, "device_type": "modbus_tcp", "config": {}})

    assert response.status_code == 413


def test_an_ingest_batch_over_64_kb_is_accepted(acme_api, acme_device):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch = [
        {
            "device_id": acme_device.pk,
            "ts": (start + timedelta(seconds=i)).isoformat(),
            "metrics": {"power": i},
        }
        for i in range(1500)
    ]
    assert len(json.dumps(batch)) > 65 * 1024

    response = acme_api.post("/api/ingest", batch)

    assert response.status_code == 201


def test_a_forwarded_batch_over_64_kb_is_accepted(globex):
    link, token = link_create(name="master")
    MirrorClient.objects.create(client=globex, link=link)
    body = forward_body(slug="globex", readings=60)
    for reading in body["clients"][0]["devices"][0]["readings"]:
        reading["metrics"] = {f"energy_{n}": 1000.25 + n for n in range(60)}
    assert len(json.dumps(body)) > 65 * 1024
    master = api_client(host=PLATFORM)
    master.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = master.post("/api/forward", body, format="json")

    assert response.status_code == 200
    assert response.json()["clients"]["globex"] == {"status": "stored", "readings": 60}


def test_an_ingest_body_over_20_mb_is_refused_without_being_read(web_server):
    """The server answers on the headers alone: it never waits for the 20 MB it was promised."""
    port = int(web_server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"POST /api/ingest HTTP/1.1\r\nHost: acme.localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n{" % (20 * 1024 * 1024 + 1)
        )
        status_line = connection.recv(4096).split(b"\r\n", 1)[0]

    assert status_line.split()[1] == b"413"


def test_a_reading_of_more_than_256_metrics_is_refused_naming_it(acme_api, acme_device):
    metrics = {f"power_{i}": 1.0 for i in range(257)}

    response = acme_api.post("/api/ingest", [{"device_id": acme_device.pk, "metrics": metrics}])

    assert response.status_code == 400
    assert response.json()["field"] == "metrics" and "256" in response.json()["detail"]
