"""Builders and probes of the pipeline tests: meters behind a simulated EW11, readings counts."""

from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device, Reading
from tenants.models import Client


def rtu_config(*, port: int, slave_id: int, driver: str = "sdm630", timeout: float = 0.5, **extra) -> dict:
    """A meter behind a simulated EW11 in transparent mode (RTU frames over TCP)."""
    config = {"driver": driver, "host": "127.0.0.1", "port": port, "framer": "rtu", "slave_id": slave_id}
    return device_config_clean(
        device_type="modbus_tcp", config=config | {"timeout": timeout, "retries": 0} | extra
    )


def readings_count(*, client: Client, device_id: int) -> int:
    with tenant_context(client):
        return Reading.objects.filter(device_id=device_id).count()


def device_fetch(*, client: Client, device_id: int) -> Device:
    with tenant_context(client):
        return Device.objects.get(pk=device_id)
