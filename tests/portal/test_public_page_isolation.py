"""An anonymous visitor with a public link sees that client's site and nothing else: another client's
domain, an unknown token and a revoked one are 404; the page is never indexed and is rate-limited."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client as PageClient
from django.test import override_settings
from rest_framework.settings import api_settings

from tenants.models import Client
from tenants.services import public_link_create, public_link_revoke
from tests.helpers.devices import device_add, readings_store

TS = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def two_sites(acme, globex):
    readings_store(acme, device_add(acme, name="Acme entrada"), [(TS, {"power": 100.0, "voltage_l1": 127.4})])
    readings_store(globex, device_add(globex, name="Globex entrada"), [(TS, {"power": -50.0})])
    _link, acme_token = public_link_create(client=acme, name="acme")
    _link, globex_token = public_link_create(client=globex, name="globex")
    return acme_token, globex_token


def _anonymous(host: str) -> PageClient:
    return PageClient(HTTP_HOST=host)


def test_the_data_shows_only_the_clients_own_devices_with_units(two_sites):
    acme_token, _globex_token = two_sites

    body = _anonymous("acme.localhost").get(f"/p/{acme_token}/data").json()

    assert [device["name"] for device in body["devices"]] == ["Acme entrada"]
    (device,) = body["devices"]
    assert device["latest"] == {"power": 100.0, "voltage_l1": 127.4}
    assert device["units"]["voltage_l1"] == "V" and device["labels"]["voltage_l1"] == "Tensão L1"
    assert "config" not in device
    assert len(body["today"]) == 24


def test_a_token_answers_only_on_its_own_clients_domain(two_sites):
    acme_token, globex_token = two_sites

    assert _anonymous("globex.localhost").get(f"/p/{acme_token}/").status_code == 404
    assert _anonymous("globex.localhost").get(f"/p/{acme_token}/data").status_code == 404
    assert _anonymous("acme.localhost").get(f"/p/{globex_token}/data").status_code == 404
    assert _anonymous("localhost").get(f"/p/{acme_token}/").status_code == 404
    assert _anonymous("acme.localhost").get("/p/not-a-token/").status_code == 404


def test_a_revoked_link_answers_404(two_sites, acme):
    acme_token, _globex_token = two_sites
    assert _anonymous("acme.localhost").get(f"/p/{acme_token}/").status_code == 200

    public_link_revoke(link=Client.objects.get(pk=acme.pk).public_links.get())

    assert _anonymous("acme.localhost").get(f"/p/{acme_token}/").status_code == 404


def test_the_page_is_not_indexed_and_has_no_way_into_the_portal(two_sites):
    acme_token, _globex_token = two_sites

    response = _anonymous("acme.localhost").get(f"/p/{acme_token}/")
    page = response.content.decode()

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Acme entrada" in page and "Globex entrada" not in page
    assert "/admin/" not in page and "/api/" not in page and 'href="/"' not in page


def test_too_many_requests_from_one_address_are_slowed_down(two_sites):
    acme_token, _globex_token = two_sites
    rates = api_settings.DEFAULT_THROTTLE_RATES | {"public": "3/min"}

    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        codes = [_anonymous("acme.localhost").get(f"/p/{acme_token}/data").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
