"""Every portal page that takes an id answers 404 for an id of another client: the schemas keep them apart."""

import pytest
from django_tenants.utils import tenant_context

from alarms.models import AlarmRule
from tests.helpers.devices import device_add


@pytest.fixture
def globex_objects(globex):
    device = device_add(globex, name="Globex inverter")
    with tenant_context(globex):
        rule = AlarmRule.objects.create(metric="power", operator=">", threshold=1, device=device)
    return device, rule


def test_another_clients_device_and_rule_ids_answer_404_on_every_page(acme_pages, globex_objects):
    device, rule = globex_objects

    assert acme_pages.get(f"/devices/{device.pk}/").status_code == 404
    assert acme_pages.get(f"/alarms/rules/{rule.pk}/").status_code == 404
    assert acme_pages.post(f"/alarms/rules/{rule.pk}/toggle/").status_code == 404
    assert acme_pages.post(f"/alarms/rules/{rule.pk}/delete/").status_code == 404
    assert acme_pages.get(f"/alarms/?device={device.pk}").status_code == 200
    assert "Globex inverter" not in acme_pages.get(f"/alarms/?device={device.pk}").content.decode()
    assert acme_pages.get("/devices/99999999999999999999/").status_code == 404
    assert acme_pages.get("/reports/2025-13/").status_code == 404
