"""A process remembers layout ids per client: a client deleted and created again with the same slug (the
same schema name) must not be handed the old schema's ids, or its readings would come back under other
metric names."""

from datetime import UTC, datetime

from django.db import connection
from django_tenants.utils import tenant_context

from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.series import readings_latest
from tenants.services import client_create

AT = datetime(2025, 3, 1, 12, tzinfo=UTC)


def _store_and_read_back(client, metrics_in_order: list[dict]) -> dict:
    with tenant_context(client):
        device = Device.objects.create(name="Medidor", device_type="modbus_tcp", config={"driver": "sdm630"})
        for n, metrics in enumerate(metrics_in_order):
            readings_ingest(
                readings=[ReadingIn(device_id=device.pk, ts=AT.replace(minute=n), metrics=metrics)]
            )
        return readings_latest(device_ids=[device.pk])[device.pk][1]


def test_a_client_created_again_gets_its_own_layout_ids(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        client = client_create(name="Recriada", slug="recreated")
        try:
            _store_and_read_back(client, [{"power": 1.0}, {"voltage_l1": 220.0}])
        finally:
            connection.set_schema_to_public()
            client.delete()
        client = client_create(name="Recriada", slug="recreated")
        try:
            latest = _store_and_read_back(client, [{"voltage_l1": 221.0}, {"power": 2.0}])
        finally:
            connection.set_schema_to_public()
            client.delete()

    assert latest == {"power": 2.0}
