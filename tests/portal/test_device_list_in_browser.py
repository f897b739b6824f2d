from datetime import UTC, datetime

import pytest

from tests.helpers.browser import browser_sign_in
from tests.helpers.devices import acme_committed_device


@pytest.fixture
def acme_meter(django_db_setup, django_db_blocker):
    readings = [(datetime(2026, 1, 5, 15, 0, tzinfo=UTC), {"power": -1234.5, "voltage_l1": 127.3})]
    with acme_committed_device(django_db_blocker, name="Quadro geral", readings=readings) as device:
        yield device


@pytest.mark.browser
def test_a_client_signs_in_and_sees_their_meter_with_its_latest_values(page, web_server, acme_meter):
    base = web_server.format(host="acme.localhost")

    browser_sign_in(page, url=f"{base}/", username="acme-user")

    row = page.locator(f"tr[data-device='{acme_meter.pk}']")
    assert "Quadro geral" in row.inner_text()
    assert row.locator("[data-metric=power]").inner_text().split() == ["Potência", "ativa", "-1.234", "W"]
    assert row.locator("[data-metric=voltage_l1]").inner_text().split() == ["Tensão", "L1", "127,3", "V"]
    # 15:00 UTC is noon in São Paulo: times are shown in the client's zone.
    assert "05/01/2026 12:00" in row.inner_text()


def test_another_clients_user_is_turned_away_at_the_login(page, web_server, acme_meter):
    base = web_server.format(host="acme.localhost")

    browser_sign_in(page, url=f"{base}/", username="globex-user")

    assert "Esta conta não pertence a este cliente." in page.content()
    assert page.locator("table.devices").count() == 0
