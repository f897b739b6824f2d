import uuid

from tests.api.test_devices import ORIGINAL_JSON


def test_every_device_shows_a_uuid_of_its_own(acme_api):
    first = acme_api.post("/api/devices", ORIGINAL_JSON).json()
    second = acme_api.post("/api/devices", {**ORIGINAL_JSON, "name": "other"}).json()

    assert uuid.UUID(first["uuid"]) != uuid.UUID(second["uuid"])
    assert acme_api.get(f"/api/devices/{first['id']}").json()["uuid"] == first["uuid"]


def test_a_device_keeps_its_uuid_whatever_a_patch_sends(acme_api):
    device = acme_api.post("/api/devices", ORIGINAL_JSON).json()

    response = acme_api.patch(f"/api/devices/{device['id']}", {"uuid": str(uuid.uuid4()), "name": "renamed"})

    assert response.status_code == 200
    assert response.json()["uuid"] == device["uuid"]
    assert response.json()["name"] == "renamed"
