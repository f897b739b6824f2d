"""Redis down: meters keep pushing readings and users keep signing in (the throttles let them through and
say so in the log); reading a meter now answers 503 with the cause, since its bus cannot be locked."""

import logging

import pytest
from django.test import override_settings
from django_tenants.utils import tenant_context

from meters.models import Reading
from tests.helpers.api import ACME, api_client
from tests.helpers.personas import PASSWORD


@pytest.fixture
def redis_down(closed_port):
    url = f"redis://127.0.0.1:{closed_port}/0"
    cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    with override_settings(REDIS_URL=url, CACHES={"default": cache}):
        yield


def test_ingest_stores_the_reading_with_redis_down(acme_api, acme, acme_device, redis_down, caplog):
    reading = {"device_id": acme_device.pk, "ts": "2025-03-01T12:00:00Z", "metrics": {"power": 1500.0}}

    with caplog.at_level(logging.WARNING, logger="pieng.api.throttles"):
        response = acme_api.post("/api/ingest", reading, format="json")

    assert response.status_code == 201
    with tenant_context(acme):
        assert Reading.objects.filter(device_id=acme_device.pk).count() == 1
    assert "throttle 'ingest' not applied: its cache is unreachable" in caplog.text


def test_a_user_signs_in_with_redis_down(acme, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="pieng.api.throttles"):
        response = api_client(host=ACME).post(
            "/api/token", {"username": "acme-user", "password": PASSWORD}, format="json"
        )

    assert response.status_code == 200
    assert "access" in response.json()
    assert "throttle 'token' not applied" in caplog.text


def test_reading_a_meter_now_answers_503_with_the_cause(acme_api, acme_device, redis_down):
    response = acme_api.post(f"/api/devices/{acme_device.pk}/read")

    assert response.status_code == 503
    detail = response.json()["detail"]
    assert detail == "Redis (bus and device locks) unreachable, meter not read: ConnectionError"
