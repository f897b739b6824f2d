"""The client admin shows a device's recent readings, read-only; the platform admin a health page of every
client's devices per gateway, failing ones with their last error."""

from datetime import UTC, datetime, timedelta

from django_tenants.utils import tenant_context

from meters.models import Device
from tests.helpers.api import ACME, PLATFORM
from tests.helpers.devices import device_add, readings_store
from tests.portal.conftest import page_client

TS = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def test_the_client_admin_lists_a_devices_recent_readings_with_labels(acme_pages, acme):
    meter = device_add(acme, name="Entrada")
    readings_store(
        acme, meter, [(TS + timedelta(seconds=30 * n), {"voltage_l1": 127.0 + n}) for n in range(3)]
    )

    page = acme_pages.get(f"/admin/meters/device/{meter.pk}/readings/").content.decode()

    assert page.count('data-metric="voltage_l1"') == 3
    assert "Tensão L1 129,0 V" in page and page.index("129,0") < page.index("127,0")


def test_the_platform_health_page_shows_failing_devices_with_their_error_per_gateway(acme, globex):
    device_add(acme, name="Medidor EW11", config={"driver": "sdm630", "host": "10.0.0.7", "port": 8899})
    broken = device_add(globex, name="Medidor quebrado")
    with tenant_context(globex):
        Device.objects.filter(pk=broken.pk).update(consecutive_failures=4, last_error="timeout after 1.0 s")

    page = page_client(host=PLATFORM, username="staff").get("/admin/health/devices/").content.decode()

    assert page.index("Globex Solar") < page.index("Acme Energia")
    assert "timeout after 1.0 s" in page and 'data-state="failing"' in page
    assert "tcp:10.0.0.7:8899" in page


def test_a_clients_user_cannot_open_the_platform_health_page(acme):
    response = page_client(host=ACME, username="acme-user").get("/admin/health/devices/")

    assert response.status_code == 404
