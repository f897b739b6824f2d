"""The slave's side: links (who may forward here) and the store of a forwarded batch.

A batch holds readings of many devices of many clients. It is stored in one transaction: per client, in
that client's schema, through `readings_ingest` (so this platform's alarms fire as for its own meters),
after the mirror client and mirror devices are brought up to date. A client the link may not feed, or
whose readings are refused, is left out and answered as refused; the rest of the batch is stored.
Delivered twice, a batch stores each reading once (one reading per device and time).
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from forwarding.models import Link, MirrorClient
from meters.models import Device
from meters.readings.ingest import IngestError, ReadingIn, readings_ingest
from pieng.api.tokens import secret_token_hash, secret_token_make
from tenants.models import Client
from tenants.services import client_create

log = logging.getLogger(__name__)

LINK_TOKEN_PREFIX = "pml_"  # noqa: S105 - a marker telling link tokens apart, not a secret


@dataclass(frozen=True)
class MirrorDeviceIn:
    uuid: uuid.UUID
    name: str
    device_type: str
    role: str
    nominal_voltage: int
    readings: list[tuple[datetime, dict]]


@dataclass(frozen=True)
class MirrorClientIn:
    slug: str
    name: str
    time_zone: str
    devices: list[MirrorDeviceIn] = field(default_factory=list)
    # Devices deleted on the master since the last batch: their mirrors go, with their readings.
    deleted_devices: list[uuid.UUID] = field(default_factory=list)


def link_create(*, name: str) -> tuple[Link, str]:
    """A new link and its token (shown once; only its hash is kept)."""
    token, token_hash = secret_token_make(prefix=LINK_TOKEN_PREFIX)
    return Link.objects.create(name=name, token_hash=token_hash), token


def link_revoke(*, link: Link) -> None:
    """Its token is refused from now on; the clients it created stay, with their readings."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def link_for_token(*, token: str) -> Link | None:
    """The live link of a token; None for an unknown or revoked one."""
    if not token.startswith(LINK_TOKEN_PREFIX):
        return None
    return Link.objects.filter(token_hash=secret_token_hash(token), revoked_at__isnull=True).first()


@transaction.atomic
def forward_store(*, link: Link, clients: list[MirrorClientIn]) -> dict[str, dict]:
    """Store a forwarded batch; returns per client slug {"status": "stored", "readings": n} or
    {"status": "refused", "reason": ...}."""
    # One batch of a link at a time: two deliveries of the same new client cannot both create it.
    link = Link.objects.select_for_update().get(pk=link.pk)
    Link.objects.filter(pk=link.pk).update(last_forward_at=timezone.now())
    results = {}
    for incoming in clients:
        try:
            with transaction.atomic():
                results[incoming.slug] = _client_store(link=link, incoming=incoming)
        except ForwardRefused as refusal:
            log.warning("forward from link %s: client %s refused: %s", link, incoming.slug, refusal)
            results[incoming.slug] = {"status": "refused", "reason": str(refusal)}
    return results


class ForwardRefused(Exception):
    """This client of the batch cannot be stored here as sent; sending it again would not help."""


def _client_store(*, link: Link, incoming: MirrorClientIn) -> dict:
    client = _mirror_client(link=link, incoming=incoming)
    with tenant_context(client):
        device_ids = _mirror_device_ids(devices=incoming.devices)
        readings = [
            ReadingIn(device_id=device_ids[device.uuid], ts=ts, metrics=metrics)
            for device in incoming.devices
            for ts, metrics in device.readings
        ]
        stored = 0
        if readings:
            try:
                # The devices were just looked up (or made) in this transaction.
                stored = readings_ingest(readings=readings, devices_known=True).readings
            except IngestError as error:
                raise ForwardRefused(f"reading refused: {error}") from error
        if incoming.deleted_devices:
            # Only mirrors: a device of this platform's own that shares the uuid is none of the master's.
            Device.objects.filter(uuid__in=incoming.deleted_devices, mirror=True).delete()
    return {"status": "stored", "readings": stored}


def _mirror_client(*, link: Link, incoming: MirrorClientIn) -> Client:
    client = Client.objects.filter(slug=incoming.slug).select_related("mirror").first()
    if client is None:
        client = client_create(name=incoming.name, slug=incoming.slug, time_zone=incoming.time_zone)
        MirrorClient.objects.create(client=client, link=link)
        log.info("forward from link %s: mirror client %s created", link, incoming.slug)
        return client
    mirror = getattr(client, "mirror", None)
    if mirror is None:
        raise ForwardRefused(f"a client with the slug {incoming.slug!r} exists here and is not a mirror")
    if mirror.link_id != link.pk:
        owner = Link.objects.get(pk=mirror.link_id)
        if owner.revoked_at is None:
            raise ForwardRefused(f"client {incoming.slug!r} is fed by another link")
        # The link that fed it was revoked: a new link (the master's new token) takes it over.
        MirrorClient.objects.filter(pk=mirror.pk).update(link=link)
        log.info(
            "forward from link %s: takes over client %s from revoked link %s", link, incoming.slug, owner
        )
    if (client.name, client.time_zone) != (incoming.name, incoming.time_zone):
        Client.objects.filter(pk=client.pk).update(name=incoming.name, time_zone=incoming.time_zone)
    return client


MIRRORED_FIELDS = ("name", "device_type", "role", "nominal_voltage")


def _mirror_device_ids(*, devices: list[MirrorDeviceIn]) -> dict[uuid.UUID, int]:
    """The slave's device id of each incoming device, by uuid: one query for the devices already seen,
    a row for each new one, an update for each renamed one."""
    current = {
        row["uuid"]: row
        for row in Device.objects.filter(uuid__in={device.uuid for device in devices}).values(
            "pk", "uuid", "mirror", *MIRRORED_FIELDS
        )
    }
    ids = {}
    for device in devices:
        fields = {name: getattr(device, name) for name in MIRRORED_FIELDS}
        row = current.get(device.uuid)
        if row is None:
            # Never polled here (mirror); no config: a master's meter settings and secrets stay there.
            pk = Device.objects.create(uuid=device.uuid, mirror=True, config={}, **fields).pk
            current[device.uuid] = {"pk": pk, "mirror": True, **fields}
        elif not row["mirror"]:
            raise ForwardRefused(f"device {device.uuid} exists here and is not a mirror")
        elif any(row[name] != value for name, value in fields.items()):
            Device.objects.filter(pk=row["pk"]).update(**fields)
            row.update(fields)
        ids[device.uuid] = current[device.uuid]["pk"]
    return ids
