"""Writes of devices and their ingest tokens: the admin, the API and the demo seeding all come here.

Saving a device keeps its poll schedule in step (meters.schedule_receivers); reading one now is the
pipeline's `device_poll`.

Ingest tokens: a meter or gateway that pushes readings holds a secret valid for its own device only
(pieng.api.tokens makes it and hashes it; only the hash is stored).
"""

from collections.abc import Sequence

from django.db import connection, transaction

from meters.models import Device
from meters.readings.ingest import IngestResult, ReadingIn, readings_ingest
from pieng.api.tokens import secret_token_hash, secret_token_make

LAST_READING_UPDATE = """
    UPDATE meters_device AS d SET last_reading_at = least(v.ts, clock_timestamp())
    FROM (VALUES {rows}) AS v (id, ts)
    WHERE d.id = v.id AND (d.last_reading_at IS NULL OR d.last_reading_at < v.ts)
"""
DEVICE_TOKEN_PREFIX = "pdt_"  # noqa: S105 - a marker telling device tokens from JWTs, not a secret


def device_token_hash(token: str) -> str:
    return secret_token_hash(token)


def device_token_make() -> tuple[str, str]:
    """A new token and its hash."""
    return secret_token_make(prefix=DEVICE_TOKEN_PREFIX)


def device_create(*, fields: dict) -> tuple[Device, str]:
    """A new device (`fields` already validated) and its ingest token, which is not stored in clear."""
    token, token_hash = device_token_make()
    device = Device(**fields, ingest_token_hash=token_hash)
    device.full_clean()
    device.save()
    return device, token


def device_update(*, device: Device, fields: dict) -> Device:
    for name, value in fields.items():
        setattr(device, name, value)
    device.full_clean()
    device.save()
    return device


def device_ingest_token_rotate(*, device: Device) -> str:
    """A new token for the device; the old one stops working at once."""
    token, token_hash = device_token_make()
    Device.objects.filter(pk=device.pk).update(ingest_token_hash=token_hash)
    return token


def device_ingest_token_revoke(*, device: Device) -> None:
    Device.objects.filter(pk=device.pk).update(ingest_token_hash="")


def readings_push(*, readings: Sequence[ReadingIn]) -> IngestResult:
    """Store readings a meter or gateway pushed, and keep their devices' status as a poll's reading does:
    `last_reading_at` (hence `online`) moves forward to the newest reading, never back (an old batch sent
    again) and never past the server's clock."""
    with transaction.atomic():
        result = readings_ingest(readings=readings)
        newest: dict[int, object] = {}
        for reading in result.stored:
            newest[reading.device_id] = max(newest.get(reading.device_id, reading.ts), reading.ts)
        if not newest:
            return result
        rows = ", ".join(["(%s, %s::timestamptz)"] * len(newest))
        with connection.cursor() as cursor:
            params = [item for pair in newest.items() for item in pair]
            cursor.execute(LAST_READING_UPDATE.format(rows=rows), params)
    return result
