"""Deleting a device on a master puts its deletion in the outbox, after its readings; the request that
carries both sends the deletion and not the readings."""

from datetime import UTC, datetime

from django.db import connection

from forwarding.delivery import FORWARD_KIND, forward_body
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from outbox.models import OutboxMessage

TS = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_deleted_device_is_put_in_the_outbox_after_its_readings(in_acme, settings):
    settings.ENABLE_FORWARDING = True
    kept = Device.objects.create(name="Geral", device_type="modbus_tcp")
    deleted = Device.objects.create(name="Entrada", device_type="modbus_tcp")
    readings_ingest(
        readings=[
            ReadingIn(device_id=kept.pk, ts=TS, metrics={"power": 1.5}),
            ReadingIn(device_id=deleted.pk, ts=TS, metrics={"power": 2.5}),
        ]
    )
    uuid = str(deleted.uuid)

    deleted.delete()

    connection.set_schema_to_public()
    messages = list(OutboxMessage.objects.filter(kind=FORWARD_KIND).order_by("id"))
    assert messages[-1].schema_name == "client_acme"
    assert messages[-1].payload["deleted"] == [uuid]
    (client,) = forward_body(messages=messages)["clients"]
    assert client["deleted_devices"] == [uuid]
    assert [device["uuid"] for device in client["devices"]] == [str(kept.uuid)]


def test_nothing_is_put_in_the_outbox_for_a_deletion_when_forwarding_is_off(in_acme, settings):
    settings.ENABLE_FORWARDING = False
    Device.objects.create(name="Entrada", device_type="modbus_tcp").delete()

    assert not OutboxMessage.objects.filter(kind=FORWARD_KIND).exists()
