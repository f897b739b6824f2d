from datetime import UTC, datetime

from django.db import connection

from forwarding.delivery import FORWARD_KIND
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from outbox.models import OutboxMessage

TS = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_stored_batch_is_put_in_the_outbox_with_its_client_and_devices(in_acme, settings):
    settings.ENABLE_FORWARDING = True
    meter = Device.objects.create(
        name="Entrada", device_type="modbus_tcp", config={"secret": "x"}, nominal_voltage=220
    )

    readings_ingest(readings=[ReadingIn(device_id=meter.pk, ts=TS, metrics={"power": 1.5})])

    connection.set_schema_to_public()
    (message,) = OutboxMessage.objects.filter(kind=FORWARD_KIND)
    assert message.schema_name == "client_acme"
    assert message.payload == {
        "client": {"slug": "acme", "name": "Acme Energia", "time_zone": "America/Sao_Paulo"},
        "devices": [
            {
                "uuid": str(meter.uuid),
                "name": "Entrada",
                "device_type": "modbus_tcp",
                "role": "grid",
                "nominal_voltage": 220,
                "readings": [{"ts": "2026-11-30T12:00:00+00:00", "metrics": {"power": 1.5}}],
            }
        ],
    }


def test_nothing_is_put_in_the_outbox_when_forwarding_is_off(in_acme, settings):
    settings.ENABLE_FORWARDING = False
    meter = Device.objects.create(name="Entrada", device_type="modbus_tcp")

    readings_ingest(readings=[ReadingIn(device_id=meter.pk, ts=TS, metrics={"power": 1.5})])

    assert not OutboxMessage.objects.filter(kind=FORWARD_KIND).exists()
