"""Master -> slave forwarding: each stored batch is POSTed to the slave platform, as our own
POST /api/ingest takes it ([{"device_id", "ts", "metrics"}]).

The batch is queued for a Celery task once the ingest transaction commits, never sent inline: a slave
that is down or slow cannot hold up ingestion, and a rolled-back batch is never forwarded.

Device ids are per client schema, so two clients' devices may share an id: the `X-Pieng-Client` header
names the client (its slug) the batch belongs to.
"""

import logging
from collections.abc import Sequence

import requests
from django.conf import settings
from django.db import transaction

from meters.polling.timings import poll_phase
from meters.readings.ingest import ReadingIn
from tenants.current import current_client

log = logging.getLogger(__name__)

FORWARD_TASK = "meters.forward_readings"
FORWARD_TIMEOUT_S = 10.0
# Answers that say "later" rather than "never": the task retries them; any other 4xx is final.
RETRYABLE_CLIENT_STATUSES = frozenset({408, 425, 429})


class ForwardUnavailable(Exception):
    """The slave did not take the batch this time; retrying may succeed."""


class ForwardRejected(Exception):
    """The slave refused the batch as invalid: sending it again would not change the answer."""


def readings_payload(readings: Sequence[ReadingIn]) -> list[dict]:
    return [
        {"device_id": reading.device_id, "ts": reading.ts.isoformat(), "metrics": dict(reading.metrics)}
        for reading in readings
    ]


def readings_forward_on_commit(*, readings: Sequence[ReadingIn], **signal) -> None:
    """A `reading_batch_stored` receiver: queue the stored batch for the slave once the transaction
    commits."""
    if not settings.ENABLE_FORWARDING or not settings.FORWARDER_URL:
        return
    from pieng.celery import app

    kwargs = {"client": _client_slug(), "readings": readings_payload(readings)}
    # robust: a broker that cannot take the task is logged, and ingestion, already committed, goes on.
    transaction.on_commit(lambda: _outbox_send(app, kwargs), robust=True)


def _outbox_send(app, kwargs: dict) -> None:
    with poll_phase("outbox"):
        app.send_task(FORWARD_TASK, kwargs=kwargs)


def readings_forward(*, client: str, readings: list[dict]) -> None:
    """POST one batch of `client`'s readings to settings.FORWARDER_URL, with the bearer FORWARDER_TOKEN
    when there is one."""
    headers = {"X-Pieng-Client": client}
    if settings.FORWARDER_TOKEN:
        headers["Authorization"] = f"Bearer {settings.FORWARDER_TOKEN}"
    try:
        response = requests.post(
            settings.FORWARDER_URL, json=readings, headers=headers, timeout=FORWARD_TIMEOUT_S
        )
    except requests.RequestException as error:
        raise ForwardUnavailable(f"slave at {settings.FORWARDER_URL} unreachable: {error}") from error
    if response.ok:
        return
    message = f"slave at {settings.FORWARDER_URL} answered {response.status_code}: {response.text[:200]}"
    if response.status_code >= 500 or response.status_code in RETRYABLE_CLIENT_STATUSES:
        raise ForwardUnavailable(message)
    raise ForwardRejected(message)


def _client_slug() -> str:
    return current_client().slug
