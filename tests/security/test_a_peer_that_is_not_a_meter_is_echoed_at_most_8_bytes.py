"""A device aimed at a service that is not a meter (here a web server on the LAN) never turns the read
into a way of reading that service: the error shows at most the first 8 bytes it sent."""

import re
import socket
import threading

import pytest
from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device

ANSWER = b"HTTP/1.1 200 OK\r\nSet-Cookie: session=hunter2-secret\r\n\r\n{'internal': 'data'}"


@pytest.fixture
def chatty_port():
    """Answers every connection with an HTTP response, whatever it is sent, and keeps it open."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                peer, _ = listener.accept()
            except OSError:
                return
            with peer:
                peer.recv(256)
                peer.sendall(ANSWER)
                while peer.recv(256):  # until the client hangs up
                    pass

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


@pytest.mark.parametrize("framer", ["rtu", "socket"])
def test_the_error_shows_no_more_than_8_bytes_of_the_answer(acme_api, acme, chatty_port, framer):
    config = {
        "driver": "sdm630",
        "host": "127.0.0.1",
        "port": chatty_port,
        "framer": framer,
        "timeout": 0.5,
        "retries": 0,
    }
    with tenant_context(acme):
        device = Device.objects.create(
            name="not a meter",
            device_type="modbus_tcp",
            config=device_config_clean(device_type="modbus_tcp", config=config),
        )

    response = acme_api.post(f"/api/devices/{device.pk}/read")

    assert response.status_code == 502
    detail = response.json()["detail"]
    echoed = [run.split() for run in re.findall(r"\b[0-9a-f]{2}(?: [0-9a-f]{2})+\b", detail)]
    assert all(len(run) <= 8 for run in echoed)
    assert "hunter2" not in detail and ANSWER[8:16].hex(" ") not in detail
