"""Another client's objects do not exist for a client's user: every endpoint that takes an id answers 404."""

import pytest
from django_tenants.utils import tenant_context

from alarms.models import AlarmRule
from meters.models import Device
from tests.api.endpoints import OBJECT_ENDPOINTS


@pytest.fixture
def acme_rule(acme, acme_device):
    with tenant_context(acme):
        return AlarmRule.objects.create(metric="power", operator=">", threshold=5000, device=acme_device)


@pytest.mark.parametrize(("method", "template"), OBJECT_ENDPOINTS)
def test_another_clients_object_is_not_found(method, template, globex, globex_api, acme_device, acme_rule):
    with tenant_context(globex):
        assert not Device.objects.filter(pk=acme_device.pk).exists()
        assert not AlarmRule.objects.filter(pk=acme_rule.pk).exists()

    response = getattr(globex_api, method)(template.format(device=acme_device.pk, rule=acme_rule.pk), {})

    assert response.status_code == 404
    assert "detail" in response.json()


def test_ingesting_for_another_clients_device_is_refused_naming_the_field(globex_api, acme_device):
    response = globex_api.post("/api/ingest", {"device_id": acme_device.pk, "metrics": {"power": 1.0}})

    assert response.status_code == 400
    assert response.json()["index"] == 0
    assert response.json()["field"] == "device_id"


def test_a_rule_cannot_watch_another_clients_device(globex_api, acme_device):
    response = globex_api.post(
        "/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 1, "device_id": acme_device.pk}
    )

    assert response.status_code == 400
    assert "device_id" in response.json()


def test_a_client_user_cannot_name_another_client_with_client_id(acme_api, globex):
    response = acme_api.get("/api/devices", {"client_id": globex.pk})

    assert response.status_code == 404
