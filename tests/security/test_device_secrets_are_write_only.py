"""Tuya secrets never leave the server: the API, the client admin and the portal show "***"; a change
that leaves them out or sends "***" back keeps them; the database holds them encrypted."""

import json

from django.db import connection
from django_tenants.utils import tenant_context

from meters.models import Device

LOCAL_KEY = "0123456789abcdef"
PLUG = {
    "name": "Tomada",
    "device_type": "tuya",
    "config": {"driver": "tuya", "device_id": "bf1234", "address": "10.0.0.40", "local_key": LOCAL_KEY},
}
CLOUD = {
    "name": "Medidor nuvem",
    "device_type": "tuya",
    "config": {
        "driver": "tuya",
        "mode": "cloud",
        "device_id": "bf9876",
        "api_region": "us",
        "api_key": "access-id-1234",
        "api_secret": "access-secret-5678",
    },
}


def stored_config(client, device_id: int) -> dict:
    with tenant_context(client):
        return Device.objects.get(pk=device_id).config


def test_the_api_shows_every_secret_as_the_mask(acme_api):
    created = acme_api.post("/api/devices", CLOUD).json()
    shown = [
        created,
        acme_api.get(f"/api/devices/{created['id']}").json(),
        *acme_api.get("/api/devices").json()["results"],
    ]

    for device in shown:
        assert device["config"]["api_key"] == "***" and device["config"]["api_secret"] == "***"
    assert "access-secret-5678" not in json.dumps(shown)


def test_a_patch_that_leaves_out_or_masks_a_secret_keeps_it(acme_api, acme):
    device_id = acme_api.post("/api/devices", PLUG).json()["id"]

    masked = acme_api.patch(f"/api/devices/{device_id}", {"config": {"local_key": "***", "timeout": 2.0}})
    left_out = acme_api.patch(f"/api/devices/{device_id}", {"config": {"timeout": 3.0}})

    assert (masked.status_code, left_out.status_code) == (200, 200)
    assert stored_config(acme, device_id)["local_key"] == LOCAL_KEY


def test_a_patch_with_a_new_secret_replaces_it(acme_api, acme):
    device_id = acme_api.post("/api/devices", PLUG).json()["id"]

    acme_api.patch(f"/api/devices/{device_id}", {"config": {"local_key": "fedcba9876543210"}})

    assert stored_config(acme, device_id)["local_key"] == "fedcba9876543210"


def test_the_mask_is_never_stored_as_a_secret(acme_api):
    response = acme_api.post("/api/devices", {**PLUG, "config": {**PLUG["config"], "local_key": "***"}})

    assert response.status_code == 400
    assert response.json() == {"config": {"local_key": ["is required"]}}


def test_the_database_holds_secrets_encrypted(acme_api, acme):
    device_id = acme_api.post("/api/devices", CLOUD).json()["id"]

    with tenant_context(acme), connection.cursor() as cursor:
        cursor.execute("SELECT config FROM meters_device WHERE id = %s", [device_id])
        raw = cursor.fetchone()[0]
    raw = raw if isinstance(raw, dict) else json.loads(raw)
    assert raw["api_secret"].startswith("fernet:") and "access-secret-5678" not in json.dumps(raw)
    assert raw["device_id"] == "bf9876"
    assert stored_config(acme, device_id)["api_secret"] == "access-secret-5678"


def test_the_client_admin_shows_the_mask_and_keeps_the_secret(client, acme, acme_api):
    device_id = acme_api.post("/api/devices", PLUG).json()["id"]
    client.force_login(acme.users.get())
    change_url = f"/admin/meters/device/{device_id}/change/"

    page = client.get(change_url, HTTP_HOST="acme.localhost").content.decode()
    config = {**PLUG["config"], "local_key": "***", "timeout": 4.0}
    saved = client.post(
        change_url,
        {
            "name": "Tomada",
            "device_type": "tuya",
            "active": "on",
            "role": "grid",
            "nominal_voltage": "127",
            "config": json.dumps(config),
        },
        HTTP_HOST="acme.localhost",
    )

    assert LOCAL_KEY not in page and "***" in page
    assert saved.status_code == 302
    assert stored_config(acme, device_id)["local_key"] == LOCAL_KEY
    assert stored_config(acme, device_id)["timeout"] == 4.0


def test_the_portal_shows_no_secret(client, acme, acme_api):
    acme_api.post("/api/devices", CLOUD)
    client.force_login(acme.users.get())

    page = client.get("/", HTTP_HOST="acme.localhost").content.decode()

    assert "Medidor nuvem" in page
    assert "access-secret-5678" not in page and "access-id-1234" not in page
