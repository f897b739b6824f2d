"""The dashboard in headless Chromium, against the real WSGI app: live values and both charts appear."""

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import sync_playwright

from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from tenants.models import Client
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture
def page():
    # Playwright's sync API runs an event loop in this thread; the ORM work happens in fixtures around it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser.new_context(timezone_id="America/Sao_Paulo").new_page()
        browser.close()


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
    page.goto(f"{base}/login/?next=/api/dashboard")
    page.fill("input[name=username]", "acme-user")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_selector("#live .value", timeout=10_000)
    page.wait_for_selector("#energy-chart .main-svg", timeout=10_000)
    page.wait_for_selector("#series-chart .main-svg", timeout=10_000)

    # The browser asks for English: numbers are grouped the English way.
    assert "1,000 W" in page.inner_text("#live")
    assert page.input_value("#metric") == "power"
    assert page.inner_text("#status") == ""
