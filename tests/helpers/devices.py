"""Devices and readings for tests, written through the project's own write paths."""

from contextlib import contextmanager
from datetime import datetime

from django.db import connection
from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from tenants.models import Client


def device_add(client: Client, **fields) -> Device:
    """An SDM630 over Modbus TCP of `client` (fields override), in the test's transaction."""
    defaults = {
        "name": "SDM630 entrada",
        "device_type": "modbus_tcp",
        "config": device_config_clean(
            device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
        ),
    }
    with tenant_context(client):
        return Device.objects.create(**(defaults | fields))


def readings_store(client: Client, device: Device, readings: list[tuple[datetime, dict]]) -> None:
    """Store readings through the one write path, as the poller would."""
    with tenant_context(client):
        readings_ingest(
            readings=[ReadingIn(device_id=device.pk, ts=ts, metrics=metrics) for ts, metrics in readings]
        )


@contextmanager
def acme_committed_device(django_db_blocker, *, name: str, readings: list[tuple[datetime, dict]]):
    """An SDM630 of acme with readings, committed: a test's web server answers from other connections."""
    with django_db_blocker.unblock():
        acme = Client.objects.get(slug="acme")
        connection.set_tenant(acme)
        config = {"driver": "sdm630", "host": "127.0.0.1"}
        device = Device.objects.create(name=name, device_type="modbus_tcp", config=config)
        readings_ingest(
            readings=[ReadingIn(device_id=device.pk, ts=ts, metrics=metrics) for ts, metrics in readings]
        )
        connection.set_schema_to_public()
    try:
        yield device
    finally:
        with django_db_blocker.unblock():
            connection.set_tenant(acme)
            device.delete()
            connection.set_schema_to_public()
