from datetime import UTC, datetime

import pytest
from django.db import connection

from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from tenants.models import Client
from tests.conftest import browser_sign_in


@pytest.fixture
def acme_meter(django_db_setup, django_db_blocker):
    """Committed data, because the live server answers from another connection."""
    with django_db_blocker.unblock():
        connection.set_tenant(Client.objects.get(slug="acme"))
        device = Device.objects.create(
            name="Quadro geral", device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
        )
        readings_ingest(
            readings=[
                ReadingIn(
                    device_id=device.pk,
                    ts=datetime(2026, 1, 5, 15, 0, tzinfo=UTC),
                    metrics={"power": -1234.5, "voltage_l1": 127.3},
                )
            ]
        )
        connection.set_schema_to_public()
    yield device
    with django_db_blocker.unblock():
        connection.set_tenant(Client.objects.get(slug="acme"))
        device.delete()
        connection.set_schema_to_public()


def test_a_client_signs_in_and_sees_their_meter_with_its_latest_values(page, web_server, acme_meter):
    base = web_server.format(host="acme.localhost")

    browser_sign_in(page, url=f"{base}/", username="acme-user")

    row = page.locator(f"tr[data-device='{acme_meter.pk}']")
    assert "Quadro geral" in row.inner_text()
    assert "-1234.50" in row.locator("[data-metric=power]").inner_text().replace(",", ".")
    # 15:00 UTC is noon in São Paulo: times are shown in the client's zone.
    assert "05/01/2026 12:00:00" in row.inner_text()


def test_another_clients_user_is_turned_away_at_the_login(page, web_server, acme_meter):
    base = web_server.format(host="acme.localhost")

    browser_sign_in(page, url=f"{base}/", username="globex-user")

    assert "Esta conta não pertence a este cliente." in page.content()
    assert page.locator("table.devices").count() == 0
