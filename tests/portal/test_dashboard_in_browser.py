"""The dashboard in headless Chromium, against the real WSGI app: live values and both charts appear."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.helpers.browser import browser_sign_in
from tests.helpers.devices import acme_committed_device


@pytest.fixture
def metered_device(django_db_setup, django_db_blocker):
    now = timezone.now()
    readings = [
        (now - timedelta(minutes=minutes), {"power": 1000.0 + minutes, "energy_import": 50 - minutes / 60})
        for minutes in range(0, 120, 10)
    ]
    with acme_committed_device(django_db_blocker, name="Quadro do dashboard", readings=readings) as device:
        yield device


@pytest.mark.browser
def test_the_dashboard_shows_live_values_and_draws_its_charts(page, web_server, metered_device):
    base = web_server.format(host="acme.localhost")
    browser_sign_in(page, url=f"{base}/login/?next=/dashboard/", username="acme-user")

    page.wait_for_selector("#live .value", timeout=30_000)
    page.wait_for_selector("#energy-chart .main-svg", timeout=30_000)
    page.wait_for_selector("#series-chart .main-svg", timeout=30_000)

    # A Brazilian browser: numbers are grouped the Brazilian way.
    assert "1.000 W" in page.inner_text("#live")
    assert page.input_value("#metric") == "power"
    assert page.inner_text("#status") == ""
