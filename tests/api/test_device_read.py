"""POST /api/devices/{id}/read against real sockets: a simulated SDM630, a closed port, a silent listener."""

import pytest
from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device
from meters.simulators import simulation_start
from tests.helpers.devices import device_add


def tcp_device(client, *, port: int, timeout: float = 1.0) -> Device:
    config = {"driver": "sdm630", "host": "127.0.0.1", "port": port, "timeout": timeout, "retries": 0}
    return device_add(client, config=device_config_clean(device_type="modbus_tcp", config=config))


@pytest.fixture
def sdm630():
    simulator = simulation_start(driver="sdm630", framer="socket", slave_ids=[1])
    yield simulator
    simulator.stop()


def test_reading_now_returns_and_stores_the_reading(acme_api, acme, sdm630):
    device = tcp_device(acme, port=sdm630.port)

    response = acme_api.post(f"/api/devices/{device.pk}/read")

    assert response.status_code == 200
    body = response.json()
    assert body["device_id"] == device.pk
    assert 100 < body["metrics"]["voltage_l1"] < 260
    assert acme_api.get(f"/api/devices/{device.pk}/latest").json()["metrics"] == body["metrics"]
    refreshed = acme_api.get(f"/api/devices/{device.pk}").json()
    assert refreshed["last_reading_at"] is not None and refreshed["online"] is True


def test_a_refused_connection_is_a_502_naming_the_cause(acme_api, acme, closed_port):
    device = tcp_device(acme, port=closed_port)

    response = acme_api.post(f"/api/devices/{device.pk}/read")

    assert response.status_code == 502
    detail = response.json()["detail"]
    assert "refused" in detail.lower() and "\n" not in detail
    with tenant_context(acme):
        device.refresh_from_db()
    assert device.consecutive_failures == 1 and device.last_error == detail


def test_a_meter_that_does_not_answer_is_a_504_saying_so(acme_api, acme, silent_port):
    device = tcp_device(acme, port=silent_port, timeout=0.2)

    response = acme_api.post(f"/api/devices/{device.pk}/read")

    assert response.status_code == 504
    assert "0.2 s" in response.json()["detail"]


def test_a_device_before_its_first_reading_has_no_latest_values(acme_api, acme_device):
    response = acme_api.get(f"/api/devices/{acme_device.pk}/latest")

    assert response.json() == {"device_id": acme_device.pk, "ts": None, "metrics": {}}
