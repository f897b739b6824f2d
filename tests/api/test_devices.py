from django_celery_beat.models import PeriodicTask
from django_tenants.utils import tenant_context

from meters.models import Device
from meters.polling.schedule import poll_schedule_name
from meters.services import device_token_hash
from tests.helpers.devices import device_add

ORIGINAL_JSON = {
    "name": "SDM630 - Entrada Principal",
    "device_type": "modbus_tcp",
    "active": True,
    "config": {
        "host": "10.0.0.109",
        "port": 8899,
        "slave_id": 1,
        "driver": "sdm630",
        "timeout": 3.0,
        "framer": "rtu",
    },
}


def test_the_original_device_json_creates_a_device_with_defaults_filled(acme_api, acme):
    response = acme_api.post("/api/devices", {"client_id": acme.pk, **ORIGINAL_JSON})

    assert response.status_code == 201
    body = response.json()
    assert body["client_id"] == acme.pk
    assert body["config"]["poll_interval"] == 30
    assert body["config"]["host"] == "10.0.0.109"
    assert body["online"] is False and body["consecutive_failures"] == 0 and body["last_error"] == ""
    assert body["last_reading_at"] is None


def test_a_new_device_shows_its_ingest_token_once_and_stores_only_its_hash(acme_api, acme):
    body = acme_api.post("/api/devices", ORIGINAL_JSON).json()

    assert body["ingest_token"].startswith("pdt_")
    assert body["has_ingest_token"] is True
    with tenant_context(acme):
        assert Device.objects.get(pk=body["id"]).ingest_token_hash == device_token_hash(body["ingest_token"])
    assert "ingest_token" not in acme_api.get(f"/api/devices/{body['id']}").json()


def test_a_bad_config_is_refused_naming_the_field(acme_api):
    config = {**ORIGINAL_JSON["config"], "slave_id": 300}

    response = acme_api.post("/api/devices", {**ORIGINAL_JSON, "config": config})

    assert response.status_code == 400
    assert response.json() == {"config": {"slave_id": ["must be between 1 and 247"]}}


def test_a_config_missing_a_required_field_is_refused_naming_it(acme_api):
    response = acme_api.post(
        "/api/devices", {"name": "PZEM", "device_type": "modbus", "config": {"driver": "pzem004t"}}
    )

    assert response.status_code == 400
    assert response.json()["config"] == {"port": ["is required"]}


def test_an_unknown_device_type_is_refused_naming_it(acme_api):
    response = acme_api.post("/api/devices", {**ORIGINAL_JSON, "device_type": "zigbee"})

    assert response.status_code == 400
    assert "device_type" in response.json()


def test_a_patch_merges_into_the_stored_config(acme_api, acme_device):
    response = acme_api.patch(f"/api/devices/{acme_device.pk}", {"config": {"slave_id": 7}})

    assert response.status_code == 200
    assert response.json()["config"]["slave_id"] == 7
    assert response.json()["config"]["host"] == "127.0.0.1"


def test_a_patch_with_a_bad_config_value_changes_nothing(acme_api, acme, acme_device):
    response = acme_api.patch(f"/api/devices/{acme_device.pk}", {"name": "renamed", "config": {"port": 0}})

    assert response.status_code == 400
    assert response.json() == {"config": {"port": ["must be between 1 and 65535"]}}
    with tenant_context(acme):
        assert Device.objects.get(pk=acme_device.pk).name == acme_device.name


def test_a_null_in_a_patched_config_removes_the_key(acme_api, acme_device):
    acme_api.patch(f"/api/devices/{acme_device.pk}", {"config": {"framer": "rtu"}})

    response = acme_api.patch(f"/api/devices/{acme_device.pk}", {"config": {"framer": None}})

    assert response.json()["config"]["framer"] == "socket"


def test_a_new_device_type_takes_the_config_as_given(acme_api, acme_device):
    change = {"device_type": "modbus", "config": {"driver": "pzem004t", "port": "/dev/ttyUSB0"}}

    response = acme_api.patch(f"/api/devices/{acme_device.pk}", change)

    assert response.status_code == 200
    assert response.json()["config"]["baudrate"] == 9600
    assert "host" not in response.json()["config"]


def test_devices_are_listed_with_their_status_and_filtered(acme_api, acme):
    device_add(acme, name="on", active=True)
    device_add(acme, name="off", active=False)

    names = [device["name"] for device in acme_api.get("/api/devices", {"active": "false"}).json()["results"]]

    assert names == ["off"]


def test_a_device_can_be_deleted(acme_api, acme, acme_device):
    response = acme_api.delete(f"/api/devices/{acme_device.pk}")

    assert response.status_code == 204
    with tenant_context(acme):
        assert not Device.objects.filter(pk=acme_device.pk).exists()


def test_put_is_not_offered(acme_api, acme_device):
    assert acme_api.put(f"/api/devices/{acme_device.pk}", ORIGINAL_JSON).status_code == 405


def test_staff_on_the_platform_domain_act_on_the_client_they_name(staff_api, acme, globex):
    response = staff_api.post("/api/devices", {"client_id": globex.pk, **ORIGINAL_JSON})

    assert response.status_code == 201
    assert response.json()["client_id"] == globex.pk
    with tenant_context(globex):
        assert Device.objects.filter(pk=response.json()["id"]).exists()
    assert staff_api.get("/api/devices", {"client_id": globex.pk}).json()["count"] == 1


def test_staff_on_the_platform_domain_must_name_the_client(staff_api):
    response = staff_api.get("/api/devices")

    assert response.status_code == 400
    assert "client_id" in response.json()


def test_staff_naming_a_client_that_does_not_exist_get_a_404(staff_api):
    assert staff_api.get("/api/devices", {"client_id": 999999}).status_code == 404


def test_a_device_created_over_the_api_is_scheduled_for_polling(acme_api, acme):
    device_id = acme_api.post("/api/devices", ORIGINAL_JSON).json()["id"]

    name = poll_schedule_name(schema=acme.schema_name, device_id=device_id)
    assert PeriodicTask.objects.filter(name=name, enabled=True).exists()
    acme_api.patch(f"/api/devices/{device_id}", {"active": False})
    assert not PeriodicTask.objects.filter(name=name).exists()
