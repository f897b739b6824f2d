from io import StringIO

import pytest
from django.core.management import call_command

from meters.models import Device
from meters.readings.series import readings_latest
from tests.helpers.pipeline import rtu_config


@pytest.fixture
def meter(in_acme, ew11_start):
    ew11 = ew11_start(slave_ids=[4])
    return Device.objects.create(
        name="Quadro geral", device_type="modbus_tcp", config=rtu_config(port=ew11.port, slave_id=4)
    )


def test_polling_a_device_by_id_prints_its_values_and_stores_them(meter):
    out = StringIO()

    call_command("poll", str(meter.pk), "--client", "acme", stdout=out)

    ts, metrics = readings_latest(device_ids=[meter.pk])[meter.pk]
    assert "Quadro geral" in out.getvalue()
    assert f"{metrics['voltage_l1']:.3f}" in out.getvalue()
    meter.refresh_from_db()
    assert (meter.last_reading_at, meter.consecutive_failures) == (ts, 0)


def test_a_device_can_be_named_instead(meter):
    out = StringIO()

    call_command("poll", "Quadro geral", "--client", "acme", stdout=out)

    assert meter.pk in readings_latest(device_ids=[meter.pk])
