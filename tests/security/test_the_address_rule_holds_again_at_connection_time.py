"""The address rule is applied again when a poll connects (a name may resolve elsewhere since it was
saved, or the rule changed): a refused address is never connected to, and the cause is recorded."""

import socket

import pytest
from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device


@pytest.fixture
def listener():
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


def test_a_device_saved_when_loopback_was_allowed_is_not_connected_to_once_it_is_not(
    acme_api, acme, listener, settings
):
    config = {"driver": "sdm630", "host": "localhost", "port": listener.getsockname()[1], "retries": 0}
    with tenant_context(acme):
        device = Device.objects.create(
            name="Loopback",
            device_type="modbus_tcp",
            config=device_config_clean(device_type="modbus_tcp", config=config),
        )
    settings.DEVICE_ALLOW_LOOPBACK = False

    response = acme_api.post(f"/api/devices/{device.pk}/read")

    assert response.status_code == 502
    assert "refused by policy" in response.json()["detail"] and "loopback" in response.json()["detail"]
    with pytest.raises(BlockingIOError):
        listener.accept()
