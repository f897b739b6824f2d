"""API personas: each client's user with a JWT on its own domain, platform staff on the platform domain,
and nobody. Requests leave the connection on the domain's schema, so every fixture puts it back."""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import tenant_context
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from meters.config import device_config_clean
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from tenants.models import User

ACME = "acme.localhost"
GLOBEX = "globex.localhost"
PLATFORM = "localhost"


def bearer(username: str) -> str:
    return f"Bearer {RefreshToken.for_user(User.objects.get(username=username)).access_token}"


def api_client(*, host: str, username: str | None = None) -> APIClient:
    client = APIClient(HTTP_HOST=host)
    if username:
        client.credentials(HTTP_AUTHORIZATION=bearer(username))
    return client


@pytest.fixture(autouse=True)
def throttle_counts_reset():
    cache.clear()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def acme_api(acme):
    return api_client(host=ACME, username="acme-user")


@pytest.fixture
def globex_api(globex):
    return api_client(host=GLOBEX, username="globex-user")


@pytest.fixture
def staff_api(db):
    return api_client(host=PLATFORM, username="staff")


@pytest.fixture
def anonymous_api(acme):
    return api_client(host=ACME)


def device_make(client, **fields) -> Device:
    defaults = {
        "name": "SDM630 entrada",
        "device_type": "modbus_tcp",
        "config": device_config_clean(
            device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
        ),
    }
    with tenant_context(client):
        return Device.objects.create(**(defaults | fields))


@pytest.fixture
def acme_device(acme):
    return device_make(acme)


def readings_store(client, device: Device, readings: list[tuple[datetime, dict]]) -> None:
    """Store readings through the one write path, as the poller would."""
    with tenant_context(client):
        readings_ingest(
            readings=[ReadingIn(device_id=device.pk, ts=ts, metrics=metrics) for ts, metrics in readings]
        )
