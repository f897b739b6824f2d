"""A serial port is a device path, COMn, or socket:// / rfc2217:// host:port; pyserial's other URLs
(spy://...?file=X truncates X) are refused when saved and never opened when read."""

import pytest
from django_tenants.utils import tenant_context

from meters.config import ConfigError, device_config_clean
from meters.models import Device


def serial_device(port: str) -> dict:
    return {"name": "PZEM", "device_type": "modbus", "config": {"driver": "pzem004t", "port": port}}


@pytest.mark.parametrize(
    "port",
    [
        "spy:///dev/ttyUSB0?file={victim}",
        "loop://?logging=debug",
        "hwgrep://.*",
        "/etc/passwd",
        "/dev/../etc/passwd",
        "socket://127.0.0.1:99999",
        "socket://:502",
        "rfc2217://10.0.0.5:2217?logging=debug",
    ],
)
def test_a_port_that_is_not_a_device_or_a_tcp_link_is_refused_naming_config_port(acme_api, tmp_path, port):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")

    response = acme_api.post("/api/devices", serial_device(port.format(victim=victim)))

    assert response.status_code == 400
    assert list(response.json()["config"]) == ["port"]
    assert victim.read_text() == "precious"


@pytest.mark.parametrize(
    "port",
    [
        "/dev/ttyUSB0",
        "/dev/ttyAMA0",
        "/dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00-port0",
        "COM3",
        "socket://10.0.0.20:4196",
        "rfc2217://gateway.lan:2217",
    ],
)
def test_device_paths_com_ports_and_tcp_links_are_accepted(port):
    assert (
        device_config_clean(device_type="modbus", config={"driver": "pzem004t", "port": port})["port"] == port
    )


def test_a_stored_spy_url_is_never_opened_by_a_read(acme_api, acme, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    config = {"driver": "pzem004t", "port": "/dev/ttyUSB0"}
    with tenant_context(acme):
        # Written around the gate, as a config stored before the rule would be.
        device = Device.objects.create(
            name="old PZEM",
            device_type="modbus",
            config=device_config_clean(device_type="modbus", config=config)
            | {"port": f"spy://x?file={victim}"},
        )

    response = acme_api.post(f"/api/devices/{device.pk}/read")

    assert response.status_code == 502
    assert "refused" in response.json()["detail"]
    assert victim.read_text() == "precious"


def test_the_gate_names_the_port_field():
    with pytest.raises(ConfigError) as refusal:
        device_config_clean(device_type="modbus", config={"driver": "pzem004t", "port": "spy://x"})
    assert list(refusal.value.errors) == ["port"]
