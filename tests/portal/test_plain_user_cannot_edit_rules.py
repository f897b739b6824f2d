"""Alarm rules are the client's staff's to change; a plain user of the client reads them."""

import pytest
from django_tenants.utils import tenant_context

from alarms.models import AlarmRule
from portal.forms import AlarmRuleForm
from tenants.services import user_create
from tests.helpers.api import ACME
from tests.helpers.personas import PASSWORD
from tests.portal.conftest import page_client


def rule_form(**fields) -> dict:
    """What a browser posts: the new-rule form's initial values (the model's defaults), then the user's."""
    initial = {
        name: field.initial for name, field in AlarmRuleForm.base_fields.items() if field.initial is not None
    }
    return {**initial, **fields}


@pytest.fixture
def acme_rule(acme):
    with tenant_context(acme):
        return AlarmRule.objects.create(name="Sobretensão", metric="voltage_l1", operator=">", threshold=135)


@pytest.fixture
def plain_pages(acme):
    user_create(username="acme-plain", password=PASSWORD, client=acme, is_staff=False)
    return page_client(host=ACME, username="acme-plain")


def test_a_plain_user_sees_the_rules_without_edit_buttons(plain_pages, acme_rule):
    page = plain_pages.get("/alarms/").content.decode()

    assert "Sobretensão" in page
    assert "/alarms/rules/new/" not in page and "Excluir" not in page


def test_a_plain_user_cannot_create_edit_toggle_or_delete_a_rule(plain_pages, acme, acme_rule):
    new = rule_form(name="x", metric="power", operator=">", threshold="1")

    assert plain_pages.post("/alarms/rules/new/", new).status_code == 403
    assert plain_pages.post(f"/alarms/rules/{acme_rule.pk}/", new).status_code == 403
    assert plain_pages.post(f"/alarms/rules/{acme_rule.pk}/toggle/").status_code == 403
    assert plain_pages.post(f"/alarms/rules/{acme_rule.pk}/delete/").status_code == 403
    with tenant_context(acme):
        assert list(AlarmRule.objects.values_list("name", "active")) == [("Sobretensão", True)]


def test_the_clients_staff_creates_disables_and_deletes_a_rule(acme_pages, acme):
    new = rule_form(name="Consumo alto", metric="power", operator=">", threshold="5000")

    assert acme_pages.post("/alarms/rules/new/", new).status_code == 302
    with tenant_context(acme):
        rule = AlarmRule.objects.get(name="Consumo alto")
    acme_pages.post(f"/alarms/rules/{rule.pk}/toggle/")
    with tenant_context(acme):
        assert not AlarmRule.objects.get(pk=rule.pk).active
    acme_pages.post(f"/alarms/rules/{rule.pk}/delete/")
    with tenant_context(acme):
        assert not AlarmRule.objects.filter(pk=rule.pk).exists()


def test_a_rule_with_a_bad_metric_is_refused_with_the_field_named(acme_pages, acme):
    bad = rule_form(name="x", metric="Power!", operator=">", threshold="abc")

    response = acme_pages.post("/alarms/rules/new/", bad)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"metric", "threshold"}
    with tenant_context(acme):
        assert not AlarmRule.objects.exists()
