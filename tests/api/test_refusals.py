"""Nobody signed in is refused everywhere but health; a user is refused on a domain that is not theirs."""

import pytest
from django_tenants.utils import tenant_context

from alarms.models import AlarmRule
from meters.models import Device
from tenants.models import User
from tests.api.endpoints import ENDPOINTS, PAGES
from tests.helpers.api import ACME, api_client


@pytest.fixture
def acme_rule(acme, acme_device):
    with tenant_context(acme):
        return AlarmRule.objects.create(metric="power", operator=">", threshold=5000)


def _path(template: str, *, client, device, rule) -> str:
    return template.format(client=client.pk, device=device.pk, rule=rule.pk)


@pytest.mark.parametrize(("method", "template"), ENDPOINTS)
def test_an_anonymous_request_is_refused(method, template, acme, acme_device, acme_rule):
    client = api_client(host=ACME)

    response = getattr(client, method)(_path(template, client=acme, device=acme_device, rule=acme_rule), {})

    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize(("method", "template"), ENDPOINTS)
def test_another_clients_user_is_refused_on_this_clients_domain(
    method, template, acme, acme_device, acme_rule
):
    client = api_client(host=ACME, username="globex-user")

    response = getattr(client, method)(_path(template, client=acme, device=acme_device, rule=acme_rule), {})

    assert response.status_code == 403
    with tenant_context(acme):
        assert Device.objects.filter(pk=acme_device.pk).exists()


def test_another_clients_signed_in_browser_is_signed_out_on_this_clients_domain(acme, globex):
    client = api_client(host=ACME)
    client.force_login(User.objects.get(username="globex-user"))

    assert client.get("/api/devices").status_code == 401


@pytest.mark.parametrize("path", PAGES)
def test_a_signed_out_browser_is_sent_to_the_sign_in_page(path, acme):
    response = api_client(host=ACME).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("path", PAGES)
def test_another_clients_browser_is_sent_to_the_sign_in_page(path, acme, globex):
    client = api_client(host=ACME)
    client.force_login(User.objects.get(username="globex-user"))

    assert client.get(path).status_code == 302


def test_health_needs_no_login(acme):
    assert api_client(host=ACME).get("/api/health").status_code == 200


def test_an_unknown_api_path_is_a_json_404(acme_api):
    response = acme_api.get("/api/no-such-thing")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
