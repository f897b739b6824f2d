from django_celery_beat.models import PeriodicTask
from django_tenants.utils import tenant_context

from alarms.models import AlarmEvent, AlarmRule
from forwarding.models import MirrorClient
from forwarding.services import link_create, link_revoke
from meters.models import Device, Reading
from tenants.models import Client
from tests.helpers.api import PLATFORM, api_client
from tests.helpers.forwarding import METER_UUID, forward_body, link_token


def master_api(token: str):
    api = api_client(host=PLATFORM)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def test_a_first_batch_creates_the_mirror_client_and_devices_and_a_repeat_stores_nothing_twice(db):
    api = master_api(link_token())

    response = api.post("/api/forward", forward_body(readings=3), format="json")

    assert response.status_code == 200
    assert response.json() == {"clients": {"padaria": {"status": "stored", "readings": 3}}}
    client = Client.objects.get(slug="padaria")
    assert (client.name, client.time_zone) == ("Padaria Central", "America/Manaus")
    assert MirrorClient.objects.filter(client=client).exists()
    with tenant_context(client):
        device = Device.objects.get(uuid=METER_UUID)
        assert (device.name, device.mirror, device.config, device.nominal_voltage) == (
            "Entrada",
            True,
            {},
            220,
        )
    assert not PeriodicTask.objects.filter(name__startswith="poll:client_padaria:").exists()

    again = api.post(
        "/api/forward", forward_body(readings=4, name="Padaria Nova", device_name="Quadro"), format="json"
    )

    assert again.json()["clients"]["padaria"] == {"status": "stored", "readings": 4}
    assert Client.objects.get(slug="padaria").name == "Padaria Nova"
    with tenant_context(client):
        assert list(Device.objects.values_list("name", flat=True)) == ["Quadro"]
        assert Reading.objects.count() == 4


def test_a_client_that_is_no_mirror_of_this_link_is_refused_and_the_others_are_stored(acme, globex):
    link, token = link_create(name="master")
    MirrorClient.objects.create(client=globex, link=link)
    body = {"clients": forward_body(slug="acme")["clients"] + forward_body(slug="globex")["clients"]}

    answer = master_api(token).post("/api/forward", body, format="json").json()

    assert answer["clients"]["acme"] == {
        "status": "refused",
        "reason": "a client with the slug 'acme' exists here and is not a mirror",
    }
    assert answer["clients"]["globex"] == {"status": "stored", "readings": 3}
    with tenant_context(acme):
        assert not Device.objects.filter(uuid=METER_UUID).exists()


def test_a_client_fed_by_another_live_link_is_refused(globex):
    other, _ = link_create(name="other master")
    MirrorClient.objects.create(client=globex, link=other)

    answer = master_api(link_token()).post("/api/forward", forward_body(slug="globex"), format="json").json()

    assert answer["clients"]["globex"] == {
        "status": "refused",
        "reason": "client 'globex' is fed by another link",
    }


def test_a_new_link_takes_over_the_clients_of_a_revoked_one(globex):
    old, _ = link_create(name="old token")
    MirrorClient.objects.create(client=globex, link=old)
    link_revoke(link=old)
    new, token = link_create(name="new token")

    answer = master_api(token).post("/api/forward", forward_body(slug="globex"), format="json").json()

    assert answer["clients"]["globex"]["status"] == "stored"
    assert MirrorClient.objects.get(client=globex).link == new


def test_a_malformed_batch_is_refused_naming_the_field_and_stores_nothing(db):
    body = forward_body()
    body["clients"][0]["devices"][0]["readings"][1]["ts"] = "yesterday"

    response = master_api(link_token()).post("/api/forward", body, format="json")

    assert response.status_code == 400
    assert "clients[0].devices[0].readings[1].ts" in response.json()
    assert not Client.objects.filter(slug="padaria").exists()


def test_a_forward_without_a_link_token_is_401(db):
    assert api_client(host=PLATFORM).post("/api/forward", forward_body(), format="json").status_code == 401
    assert master_api("pml_made-up").post("/api/forward", forward_body(), format="json").status_code == 401


def test_the_forward_endpoint_does_not_exist_on_a_clients_domain(acme):
    api = api_client(host="acme.localhost")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {link_token()}")

    assert api.post("/api/forward", forward_body(), format="json").status_code == 404


def test_the_slaves_own_alarm_rules_fire_on_forwarded_readings(globex):
    link, token = link_create(name="master")
    MirrorClient.objects.create(client=globex, link=link)
    with tenant_context(globex):
        AlarmRule.objects.create(metric="voltage_l1", operator=">", threshold=221.5)

    master_api(token).post("/api/forward", forward_body(slug="globex", readings=3), format="json")

    with tenant_context(globex):
        assert list(AlarmEvent.objects.values_list("kind", "value")) == [("raised", 222.0)]


def test_a_body_larger_than_the_limit_is_a_413_not_an_error(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = master_api(link_token()).post("/api/forward", forward_body(readings=20), format="json")

    assert response.status_code == 413
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]
