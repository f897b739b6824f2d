"""A public link in a stranger's browser: the devices and the chart without signing in; revoked, a 404."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tenants.models import Client, PublicLink
from tenants.services import public_link_create, public_link_revoke
from tests.helpers.devices import acme_committed_device


@pytest.fixture
def public_link(django_db_setup, django_db_blocker):
    now = timezone.now()
    readings = [
        (
            now - timedelta(minutes=minutes),
            {"power": 900.0, "voltage_l1": 127.4, "energy_import": 10 - minutes / 60},
        )
        for minutes in range(0, 60, 10)
    ]
    with acme_committed_device(django_db_blocker, name="Quadro público", readings=readings):
        with django_db_blocker.unblock():
            link, token = public_link_create(client=Client.objects.get(slug="acme"), name="vizinhos")
        token_hash = link.token_hash
        yield link, token
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            # The test revokes it; one that failed before may have left it.
            PublicLink.objects.filter(token_hash=token_hash).delete()


@pytest.mark.browser
def test_a_stranger_sees_the_devices_and_the_chart_until_the_link_is_revoked(
    page, web_server, public_link, django_db_blocker
):
    link, token = public_link
    url = f"{web_server.format(host='acme.localhost')}/p/{token}/"
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(
            url, timeout=90_000
        )  # the first request loads the URL conf and plotly, slow on a busy machine
        page.wait_for_function(
            "document.querySelectorAll('.chart.js-plotly-plot .main-svg').length > 0 && "
            "document.querySelectorAll('.chart.js-plotly-plot').length == 2",
            timeout=30_000,
        )
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card = page.locator("[data-device-name='Quadro público']")
    assert card.locator("[data-metric=voltage_l1]").inner_text().split() == ["Tensão", "L1", "127,4", "V"]
    assert page.locator("input[name=password]").count() == 0
    assert errors == []

    with django_db_blocker.unblock():
        public_link_revoke(link=link)

    assert page.goto(url).status == 404
