"""A master's batch naming a deleted device: the slave deletes its mirror and the mirror's readings; sent
twice, the second is harmless; a device of the slave's own with that uuid is left alone."""

from django_tenants.utils import tenant_context

from forwarding.models import MirrorClient
from forwarding.services import link_create
from meters.models import Device, Reading
from tests.helpers.api import PLATFORM, api_client
from tests.helpers.forwarding import METER_UUID, forward_body


def master_api(globex):
    link, token = link_create(name="master")
    MirrorClient.objects.create(client=globex, link=link)
    api = api_client(host=PLATFORM)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def deletion_body() -> dict:
    body = forward_body(slug="globex", readings=0)
    body["clients"][0] |= {"devices": [], "deleted_devices": [str(METER_UUID)]}
    return body


def test_a_device_deleted_on_the_master_is_deleted_on_the_slave_with_its_readings(globex):
    api = master_api(globex)
    api.post("/api/forward", forward_body(slug="globex", readings=3), format="json")

    first = api.post("/api/forward", deletion_body(), format="json")
    again = api.post("/api/forward", deletion_body(), format="json")

    assert first.json() == again.json() == {"clients": {"globex": {"status": "stored", "readings": 0}}}
    with tenant_context(globex):
        assert not Device.objects.filter(uuid=METER_UUID).exists()
        assert Reading.objects.count() == 0


def test_a_device_of_the_slaves_own_is_never_deleted_by_a_master(globex):
    api = master_api(globex)
    with tenant_context(globex):
        Device.objects.create(uuid=METER_UUID, name="Own meter", device_type="modbus_tcp")

    response = api.post("/api/forward", deletion_body(), format="json")

    assert response.status_code == 200
    with tenant_context(globex):
        assert Device.objects.filter(uuid=METER_UUID, mirror=False).exists()


def test_a_deleted_device_that_is_not_a_uuid_is_refused_naming_it(globex):
    body = deletion_body()
    body["clients"][0]["deleted_devices"] = ["nope"]

    response = master_api(globex).post("/api/forward", body, format="json")

    assert response.status_code == 400
    assert "clients[0].deleted_devices[0]" in response.json()
