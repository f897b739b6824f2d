"""A client switched off (Client.active false) is off: its domain answers 404 to everything but a short
"account suspended" page, whatever session or token comes with the request; its users and device tokens
are refused by the account rule too; its polls stop and resume when it is switched on again."""

import pytest
from django_celery_beat.models import PeriodicTask
from django_tenants.utils import tenant_context

from meters.api.auth import DevicePrincipal
from meters.config import device_config_clean
from meters.polling.schedule import poll_schedule_name
from meters.services import device_create
from tests.helpers.api import ACME, api_client
from tests.helpers.personas import PASSWORD


def active_set(client, active: bool) -> None:
    client.active = active
    client.save()


@pytest.fixture
def acme_token_device(acme):
    config = device_config_clean(device_type="modbus_tcp", config={"driver": "sdm630", "host": "10.0.0.109"})
    with tenant_context(acme):
        return device_create(fields={"name": "Entrada", "device_type": "modbus_tcp", "config": config})


def test_its_domain_shows_the_suspended_page_and_404_for_everything_else(client, acme, acme_token_device):
    _, device_token = acme_token_device
    jwt_api = api_client(host=ACME, username="acme-user")
    device_api = api_client(host=ACME)
    device_api.credentials(HTTP_AUTHORIZATION=f"Bearer {device_token}")
    client.force_login(acme.users.get())
    active_set(acme, False)

    home = client.get("/", HTTP_HOST=ACME)
    refused = {
        "session": client.get("/api/devices", HTTP_HOST=ACME).status_code,
        "client admin": client.get("/admin/", HTTP_HOST=ACME).status_code,
        "portal login": client.post(
            "/login/", {"username": "acme-user", "password": PASSWORD}, HTTP_HOST=ACME
        ).status_code,
        "jwt": jwt_api.get("/api/devices").status_code,
        "token": jwt_api.post("/api/token", {"username": "acme-user", "password": PASSWORD}).status_code,
        "device token": device_api.post("/api/ingest", {"metrics": {"power": 1.0}}).status_code,
    }

    assert home.status_code == 403
    assert "Conta suspensa" in home.content.decode()
    assert "Entrada" not in home.content.decode()
    assert refused == dict.fromkeys(refused, 404)


def test_switched_on_again_the_same_logins_work(acme):
    jwt_api = api_client(host=ACME, username="acme-user")
    active_set(acme, False)
    active_set(acme, True)

    assert jwt_api.get("/api/devices").status_code == 200


def test_its_users_and_devices_are_refused_by_the_account_rule_too(acme):
    user = acme.users.get()
    active_set(acme, False)

    assert not user.can_reach(acme)
    assert not DevicePrincipal(device_id=1).can_reach(acme)


def test_its_polls_stop_and_resume_with_it(acme, globex, acme_token_device):
    device, _ = acme_token_device
    with tenant_context(globex):
        neighbour, _ = device_create(
            fields={"name": "Vizinho", "device_type": "modbus_tcp", "config": device.config}
        )

    def enabled(client, device_id) -> bool:
        return PeriodicTask.objects.get(
            name=poll_schedule_name(schema=client.schema_name, device_id=device_id)
        ).enabled

    active_set(acme, False)
    with tenant_context(acme):
        added_meanwhile, _ = device_create(
            fields={"name": "Nova", "device_type": "modbus_tcp", "config": device.config}
        )
    suspended = (enabled(acme, device.pk), enabled(acme, added_meanwhile.pk), enabled(globex, neighbour.pk))
    active_set(acme, True)

    assert suspended == (False, False, True)
    assert enabled(acme, device.pk) and enabled(acme, added_meanwhile.pk)
