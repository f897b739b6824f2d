"""The dashboard in headless Chromium, against the real WSGI app: live values and both charts appear."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from tenants.models import Client
from tests.conftest import browser_sign_in


@pytest.fixture
def metered_device(django_db_setup, django_db_blocker):
    """Committed data, because the web server answers from other connections."""
    now = timezone.now()
    with django_db_blocker.unblock():
        connection.set_tenant(Client.objects.get(slug="acme"))
        config = {"driver": "sdm630", "host": "127.0.0.1"}
        device = Device.objects.create(name="Quadro do dashboard", device_type="modbus_tcp", config=config)
        readings_ingest(
            readings=[
                ReadingIn(
                    device_id=device.pk,
                    ts=now - timedelta(minutes=minutes),
                    metrics={"power": 1000.0 + minutes, "energy_import": 50 - minutes / 60},
                )
                for minutes in range(0, 120, 10)
            ]
        )
        connection.set_schema_to_public()
    yield device
    with django_db_blocker.unblock():
        connection.set_tenant(Client.objects.get(slug="acme"))
        device.delete()
        connection.set_schema_to_public()


@pytest.mark.browser
def test_the_dashboard_shows_live_values_and_draws_its_charts(page, web_server, metered_device):
    base = web_server.format(host="acme.localhost")
    browser_sign_in(page, url=f"{base}/login/?next=/api/dashboard", username="acme-user")

    page.wait_for_selector("#live .value", timeout=30_000)
    page.wait_for_selector("#energy-chart .main-svg", timeout=30_000)
    page.wait_for_selector("#series-chart .main-svg", timeout=30_000)

    # A Brazilian browser: numbers are grouped the Brazilian way.
    assert "1.000 W" in page.inner_text("#live")
    assert page.input_value("#metric") == "power"
    assert page.inner_text("#status") == ""
