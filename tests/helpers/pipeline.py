"""Builders and probes of the pipeline tests: meters behind a simulated EW11, readings counts."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device, Reading
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.rollups import rollup_closed_until
from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator
from tenants.models import Client


def rtu_config(*, port: int, slave_id: int, driver: str = "sdm630", timeout: float = 0.5, **extra) -> dict:
    """A meter behind a simulated EW11 in transparent mode (RTU frames over TCP)."""
    config = {"driver": driver, "host": "127.0.0.1", "port": port, "framer": "rtu", "slave_id": slave_id}
    return device_config_clean(
        device_type="modbus_tcp", config=config | {"timeout": timeout, "retries": 0} | extra
    )


@contextmanager
def ew11_sdm630(*, port: int = 0) -> Iterator[TcpSimulator]:
    """One simulated SDM630 (slave 1) behind a simulated EW11 on loopback (`port` 0: a free one)."""
    bus = Bus(slaves=[Sdm630Simulator(site=SiteModel(seed=1), slave_id=1)])
    simulator = TcpSimulator(bus=bus, framer="rtu", port=port).start()
    try:
        yield simulator
    finally:
        simulator.stop()


def readings_count(*, client: Client, device_id: int) -> int:
    with tenant_context(client):
        return Reading.objects.filter(device_id=device_id).count()


def device_fetch(*, client: Client, device_id: int) -> Device:
    with tenant_context(client):
        return Device.objects.get(pk=device_id)


def counter_days_store(*, client: Client, device: Device, days: int) -> None:
    """`days` days of an import counter every 5 minutes, up to now."""
    start = timezone.now() - timedelta(days=days)
    with tenant_context(client):
        readings_ingest(
            readings=[
                ReadingIn(
                    device_id=device.pk, ts=start + k * timedelta(minutes=5), metrics={"energy_import": k}
                )
                for k in range(days * 288)
            ]
        )


def counter_meters_make(*, clients: list[Client], device_make, days: int) -> list[tuple[Client, Device]]:
    """A meter in each client (same id, same gateway address) with `days` days of its counter stored."""
    made = []
    for client in clients:
        device = device_make(
            client=client, name=f"{client.slug} meter", config=rtu_config(port=1502, slave_id=1)
        )
        counter_days_store(client=client, device=device, days=days)
        made.append((client, device))
    return made


def closed_until(*, client: Client, device: Device) -> datetime | None:
    with tenant_context(client):
        return rollup_closed_until(device_id=device.pk)
