import logging

from django.db import connection

from meters.models import Device
from meters.polling.poll import device_poll
from tests.helpers.pipeline import ew11_sdm630, rtu_config

POLL_LOGGER = "meters.polling.poll"


def test_a_dead_meter_is_logged_when_it_fails_and_when_it_answers_again_not_on_every_poll(
    in_acme, closed_port, caplog
):
    device = Device.objects.create(
        name="Dead SDM630", device_type="modbus_tcp", config=rtu_config(port=closed_port, slave_id=1)
    )
    caplog.set_level(logging.INFO, logger=POLL_LOGGER)

    # As "read now" does: the device as stored at each request.
    outcomes = [device_poll(device=Device.objects.get(pk=device.pk), force=True).status for _ in range(3)]
    with ew11_sdm630(port=closed_port):
        outcomes.append(device_poll(device=Device.objects.get(pk=device.pk), force=True).status)

    lines = [record for record in caplog.records if record.name == POLL_LOGGER]
    assert outcomes == ["failed", "failed", "failed", "stored"]
    assert [record.levelname for record in lines] == ["WARNING", "INFO"]
    failed = lines[0]
    assert (failed.device, failed.client, failed.bus) == (device.pk, connection.schema_name, device.bus_key)
    assert "refused" in failed.cause.lower()
    assert "succeeds again after 3 failures" in lines[1].getMessage()
