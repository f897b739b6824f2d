"""A committed acme site for the browser tests: a grid meter and a solar inverter's meter with readings
every 5 minutes from local midnight up to now, and one alarm rule."""

import zoneinfo
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from alarms.models import AlarmRule
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from tenants.models import Client

STEP = timedelta(minutes=5)


def site_readings(*, start: datetime, end: datetime) -> tuple[list, list]:
    grid, solar = [], []
    moment, n = start, 0
    while moment < end:
        hour = timezone.localtime(moment, zoneinfo.ZoneInfo("America/Sao_Paulo")).hour
        sunny = 9 <= hour < 16
        grid.append(
            (
                moment,
                {
                    "power": -1500.0 if sunny else 800.0,
                    "voltage_l1": 127.4,
                    "voltage_l2": 128.0,
                    "voltage_l3": 126.5,
                    "current_l1": 6.25,
                    "frequency": 60.0,
                    "energy_import": 1000.0 + 0.05 * n,
                    "energy_export": 200.0 + 0.02 * n,
                },
            )
        )
        solar.append((moment, {"power": -2500.0 if sunny else 0.0, "energy_export": 500.0 + 0.1 * n}))
        moment, n = moment + STEP, n + 1
    return grid, solar


@contextmanager
def acme_committed_site(django_db_blocker):
    now = timezone.now()
    midnight = timezone.localtime(now, zoneinfo.ZoneInfo("America/Sao_Paulo")).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    grid_readings, solar_readings = site_readings(start=midnight, end=now)
    with django_db_blocker.unblock():
        acme = Client.objects.get(slug="acme")
        connection.set_tenant(acme)
        config = {"driver": "sdm630", "host": "127.0.0.1"}
        grid = Device.objects.create(
            name="Quadro geral", device_type="modbus_tcp", config=config, role="grid"
        )
        solar = Device.objects.create(
            name="Inversor", device_type="modbus_tcp", config=config, role="generation"
        )
        readings_ingest(
            readings=[ReadingIn(device_id=grid.pk, ts=ts, metrics=metrics) for ts, metrics in grid_readings]
            + [ReadingIn(device_id=solar.pk, ts=ts, metrics=metrics) for ts, metrics in solar_readings]
        )
        AlarmRule.objects.create(
            name="Sobretensão", metric="voltage_l1", operator=">", threshold=135, device=grid
        )
        connection.set_schema_to_public()
    try:
        yield {"grid": grid, "solar": solar, "grid_readings": grid_readings, "midnight": midnight}
    finally:
        with django_db_blocker.unblock():
            connection.set_tenant(acme)
            AlarmRule.objects.all().delete()
            grid.delete()
            solar.delete()
            connection.set_schema_to_public()
