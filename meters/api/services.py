"""What the device endpoints do, apart from HTTP: create, change, tokens.

Saving a device keeps its poll schedule in step (meters.signals); reading one now is the pipeline's
`device_poll`.
"""

from meters.api.tokens import device_token_make
from meters.models import Device


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

