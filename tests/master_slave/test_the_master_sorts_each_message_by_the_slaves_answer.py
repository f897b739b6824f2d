"""The master's deliverer against a slave answering at the wire (a loopback HTTP server): which messages
are delivered, retried or parked."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forwarding.delivery import forward_deliver
from outbox.models import OutboxMessage


@pytest.fixture
def slave(settings):
    answers: list[tuple[int, dict]] = []
    bodies: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            bodies.append(json.loads(body))
            status, body = answers.pop(0)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    settings.FORWARDER_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.FORWARDER_TOKEN = "pml_test"
    settings.FORWARD_BATCH_READINGS = 2
    yield answers, bodies
    server.shutdown()
    server.server_close()
    thread.join()


def message(pk: int, slug: str) -> OutboxMessage:
    device = {
        "uuid": f"00000000-0000-0000-0000-00000000000{pk}",
        "name": "m",
        "device_type": "modbus_tcp",
        "role": "grid",
        "nominal_voltage": 127,
        "readings": [{"ts": "2026-11-30T12:00:00+00:00", "metrics": {"power": 1.0}}],
    }
    payload = {"client": {"slug": slug, "name": slug, "time_zone": "UTC"}, "devices": [device]}
    return OutboxMessage(id=pk, kind="forwarding.readings", schema_name=slug, payload=payload)


def test_a_refused_client_is_parked_and_the_others_are_delivered(slave):
    answers, bodies = slave
    answers.append(
        (
            200,
            {
                "clients": {
                    "a": {"status": "stored", "readings": 1},
                    "b": {"status": "refused", "reason": "not a mirror"},
                }
            },
        )
    )

    result = forward_deliver([message(1, "a"), message(2, "b")])

    assert result.delivered == [1]
    assert result.parked == {2: "slave refused client b: not a mirror"}
    assert [client["slug"] for client in bodies[0]["clients"]] == ["a", "b"]


@pytest.mark.parametrize("status", [401, 403, 413, 500, 503])
def test_a_revoked_link_or_a_failing_slave_keeps_every_message_for_a_retry(slave, status):
    answers, _ = slave
    answers.append((status, {"detail": "no"}))

    result = forward_deliver([message(1, "a"), message(2, "b"), message(3, "a")])

    assert result.delivered == [] and result.parked == {}
    assert set(result.retry) == {1, 2, 3}
    assert f"answered {status}" in result.retry[3]


def test_requests_carry_at_most_the_batch_readings_and_a_failure_retries_the_rest_in_order(slave):
    answers, bodies = slave
    answers.append((200, {"clients": {"a": {"status": "stored", "readings": 2}}}))
    answers.append((503, {}))

    result = forward_deliver(
        [message(1, "a"), message(2, "a"), message(3, "a"), message(4, "a"), message(5, "a")]
    )

    assert len(bodies) == 2
    assert len(bodies[0]["clients"][0]["devices"]) == 2
    assert result.delivered == [1, 2]
    assert set(result.retry) == {3, 4, 5}


def test_an_unreachable_slave_is_retried(settings, closed_port):
    settings.FORWARDER_URL = f"http://127.0.0.1:{closed_port}"

    result = forward_deliver([message(1, "a")])

    assert "unreachable" in result.retry[1]
