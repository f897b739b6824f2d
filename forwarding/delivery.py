"""The master's side: every stored batch becomes an outbox message in the ingest transaction, and the
outbox drains them to the slave's forward endpoint in order (docs/forwarding.md).

A message carries what the slave needs to mirror the client and its devices (never a device's config or
secrets) with the readings, so it can be delivered whatever happens to the rows meanwhile.
"""

import gzip
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
import requests
from django.conf import settings
from django.db.models.signals import post_delete

from meters.models import Device
from meters.readings.ingest import ReadingIn, reading_batch_stored
from outbox.kinds import DeliveryResult, outbox_kind_register
from outbox.models import OutboxMessage
from outbox.selectors import outbox_backlog
from outbox.services import outbox_put
from pieng.health import health_sections
from tenants.current import current_client
from tenants.models import Client

log = logging.getLogger(__name__)

FORWARD_KIND = "forwarding.readings"
FORWARD_PATH = "/api/forward"
# Answers that say "later" rather than "never", besides 5xx: the link was revoked (an operator sets a new
# token), the URL is wrong or the slave's body limit below our batches (an operator fixes either), or the
# slave asks us to slow down.
RETRYABLE_STATUSES = frozenset({401, 403, 404, 408, 413, 425, 429})


def readings_outbox_put(sender, *, readings: Sequence[ReadingIn], **kwargs) -> None:
    """Receiver of reading_batch_stored: one outbox message per stored batch, in the ingest transaction."""
    if not settings.ENABLE_FORWARDING:
        return
    outbox_put(kind=FORWARD_KIND, payload=forward_payload(readings=readings))


def device_deletion_outbox_put(sender, *, instance: Device, **kwargs) -> None:
    """Receiver of Device's post_delete: the slave deletes its mirror (and its readings) too, in order
    after the readings already queued; a rolled-back deletion leaves no message."""
    client = current_client()
    if not settings.ENABLE_FORWARDING or client is None:
        return
    deletion = {"devices": [], "deleted": [str(instance.uuid)]}
    outbox_put(kind=FORWARD_KIND, payload=_client_payload(client) | deletion)


def _client_payload(client: Client) -> dict:
    return {"client": {"slug": client.slug, "name": client.name, "time_zone": client.time_zone}}


def forward_payload(*, readings: Sequence[ReadingIn]) -> dict:
    devices = {
        device["pk"]: device
        for device in Device.objects.filter(pk__in={reading.device_id for reading in readings}).values(
            "pk", "uuid", "name", "device_type", "role", "nominal_voltage"
        )
    }
    per_device: dict[int, list[dict]] = {}
    for reading in readings:
        per_device.setdefault(reading.device_id, []).append(
            {"ts": reading.ts.isoformat(), "metrics": dict(reading.metrics)}
        )
    return _client_payload(current_client()) | {
        "devices": [
            {
                "uuid": str(devices[device_id]["uuid"]),
                "name": devices[device_id]["name"],
                "device_type": devices[device_id]["device_type"],
                "role": devices[device_id]["role"],
                "nominal_voltage": devices[device_id]["nominal_voltage"],
                "readings": device_readings,
            }
            for device_id, device_readings in per_device.items()
        ],
    }


class SlaveUnavailable(Exception):
    """The slave did not take the batch this time; the same batch may succeed later."""


class SlaveRefused(Exception):
    """The slave refused the whole batch as invalid: sending it again would not change the answer."""


@dataclass
class _Chunk:
    messages: list[OutboxMessage]
    readings: int


def forward_deliver(messages: list[OutboxMessage]) -> DeliveryResult:
    """The outbox deliverer: POST the messages, in order, in requests of at most FORWARD_BATCH_READINGS
    readings, and sort each message by its client's answer."""
    result = DeliveryResult()
    chunks = _chunks(messages, max_readings=settings.FORWARD_BATCH_READINGS)
    for position, chunk in enumerate(chunks):
        try:
            answers = _post(forward_body(messages=chunk.messages))
        except SlaveUnavailable as error:
            # In order: nothing after a failed request may be delivered before it.
            for later in chunks[position:]:
                result.retry.update({message.id: str(error) for message in later.messages})
            return result
        except SlaveRefused as error:
            result.parked.update({message.id: str(error) for message in chunk.messages})
            continue
        for message in chunk.messages:
            slug = message.payload["client"]["slug"]
            answer = answers.get(slug) or {}
            if answer.get("status") == "stored":
                result.delivered.append(message.id)
            elif answer.get("status") == "refused":
                result.parked[message.id] = f"slave refused client {slug}: {answer.get('reason', '')}"
            else:
                result.retry[message.id] = f"slave did not answer for client {slug}"
    return result


def forward_body(*, messages: list[OutboxMessage]) -> dict:
    """One request body from messages of many clients: per client, per device, the readings in order; the
    latest message's names win (a rename on the master follows on the slave). A device deleted on the
    master is named in the client's `deleted_devices`, and its readings of the same body are not sent."""
    clients: dict[str, dict] = {}
    for message in messages:
        client = message.payload["client"]
        entry = clients.setdefault(client["slug"], {"devices": {}, "deleted_devices": []})
        entry.update(client)
        for device in message.payload["devices"]:
            target = entry["devices"].setdefault(device["uuid"], {"readings": []})
            target.update({key: value for key, value in device.items() if key != "readings"})
            target["readings"].extend(device["readings"])
        for deleted in message.payload.get("deleted", ()):
            entry["devices"].pop(deleted, None)
            entry["deleted_devices"].append(deleted)
    return {
        "clients": [
            {key: value for key, value in client.items() if key != "deleted_devices" or value}
            | {"devices": list(client["devices"].values())}
            for client in clients.values()
        ]
    }


def _chunks(messages: list[OutboxMessage], *, max_readings: int) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    for message in messages:
        size = sum(len(device["readings"]) for device in message.payload["devices"])
        if not chunks or (chunks[-1].readings + size > max_readings and chunks[-1].messages):
            chunks.append(_Chunk(messages=[], readings=0))
        chunks[-1].messages.append(message)
        chunks[-1].readings += size
    return chunks


# One keep-alive connection to the slave per process: a drain posts request after request.
_session = requests.Session()


def _post(body: dict) -> dict[str, dict]:
    if not settings.FORWARDER_URL:
        raise SlaveUnavailable("FORWARDER_URL is not set")
    url = settings.FORWARDER_URL.rstrip("/") + FORWARD_PATH
    data = orjson.dumps(body)
    headers = {"Authorization": f"Bearer {settings.FORWARDER_TOKEN}", "Content-Type": "application/json"}
    if settings.FORWARD_GZIP:
        data = gzip.compress(data, compresslevel=1)
        headers["Content-Encoding"] = "gzip"
    try:
        response = _session.post(url, data=data, headers=headers, timeout=settings.FORWARD_TIMEOUT_S)
    except requests.RequestException as error:
        raise SlaveUnavailable(f"slave at {url} unreachable: {error}") from error
    message = f"slave at {url} answered {response.status_code}: {response.text[:300]}"
    if response.status_code >= 500 or response.status_code in RETRYABLE_STATUSES:
        raise SlaveUnavailable(message)
    if response.status_code != 200:
        raise SlaveRefused(message)
    try:
        return response.json()["clients"]
    except (ValueError, KeyError, TypeError) as error:
        raise SlaveUnavailable(f"slave at {url} answered what is not a forward result: {error}") from error


def forwarding_connect() -> None:
    outbox_kind_register(
        kind=FORWARD_KIND,
        deliver=forward_deliver,
        batch_size=settings.FORWARD_BATCH_READINGS,
        ordered=True,
        linger_s=settings.FORWARD_BATCH_SECONDS,
    )
    reading_batch_stored.connect(readings_outbox_put, dispatch_uid="forwarding.outbox_put")
    post_delete.connect(device_deletion_outbox_put, sender=Device, dispatch_uid="forwarding.device_deleted")
    health_sections.connect(forwarding_health, dispatch_uid="forwarding.health")


def forwarding_health(**signal) -> tuple[str, dict] | None:
    """`/api/health`'s "forwarding" section on a master: how much is waiting, and for how long."""
    if not settings.ENABLE_FORWARDING:
        return None
    return "forwarding", outbox_backlog(kind=FORWARD_KIND)
