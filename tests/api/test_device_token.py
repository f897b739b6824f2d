from django_tenants.utils import tenant_context

from meters.models import Device
from tests.helpers.api import ACME, PLATFORM, api_client


def device_client(token: str, host: str = ACME):
    client = api_client(host=host)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_device_token_ingests_for_its_device_without_naming_it(acme_api):
    token = acme_api.post(f"/api/devices/{_device_id(acme_api)}/token").json()["ingest_token"]

    response = device_client(token).post("/api/ingest", {"metrics": {"power": 12.5}})

    assert response.status_code == 201
    assert response.json() == {"accepted": 1}


def test_a_device_token_is_valid_for_its_own_device_only(acme_api, acme):
    token = acme_api.post(f"/api/devices/{_device_id(acme_api)}/token").json()["ingest_token"]
    other = _device_id(acme_api)

    response = device_client(token).post("/api/ingest", {"device_id": other, "metrics": {"power": 1.0}})

    assert response.status_code == 400
    assert response.json()["field"] == "device_id"


def test_a_device_token_opens_nothing_but_ingestion(acme_api):
    token = acme_api.post(f"/api/devices/{_device_id(acme_api)}/token").json()["ingest_token"]

    assert device_client(token).get("/api/devices").status_code == 401


def test_a_rotated_token_replaces_the_old_one(acme_api):
    device_id = _device_id(acme_api)
    old = acme_api.post(f"/api/devices/{device_id}/token").json()["ingest_token"]
    new = acme_api.post(f"/api/devices/{device_id}/token").json()["ingest_token"]

    assert device_client(old).post("/api/ingest", {"metrics": {"power": 1.0}}).status_code == 401
    assert device_client(new).post("/api/ingest", {"metrics": {"power": 1.0}}).status_code == 201


def test_a_revoked_token_stops_working(acme_api, acme):
    device_id = _device_id(acme_api)
    token = acme_api.post(f"/api/devices/{device_id}/token").json()["ingest_token"]

    assert acme_api.delete(f"/api/devices/{device_id}/token").status_code == 204
    assert device_client(token).post("/api/ingest", {"metrics": {"power": 1.0}}).status_code == 401
    with tenant_context(acme):
        assert Device.objects.get(pk=device_id).ingest_token_hash == ""


def test_a_device_token_is_refused_on_the_platform_domain(acme_api):
    token = acme_api.post(f"/api/devices/{_device_id(acme_api)}/token").json()["ingest_token"]

    response = device_client(token, host=PLATFORM).post("/api/ingest", {"metrics": {"power": 1.0}})

    assert response.status_code == 401


def _device_id(api) -> int:
    device = {
        "name": "pushing meter",
        "device_type": "modbus_tcp",
        "config": {"driver": "sdm630", "host": "10.0.0.9"},
    }
    return api.post("/api/devices", device).json()["id"]
