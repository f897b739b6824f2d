from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meters.models import Device
from meters.readings.series import readings_latest
from tests.helpers.pipeline import rtu_config


def test_all_polls_each_active_device_lists_them_and_fails_when_one_was_not_read(
    in_acme, ew11_start, closed_port
):
    ew11 = ew11_start(slave_ids=[1])
    answering = Device.objects.create(
        name="Answering", device_type="modbus_tcp", config=rtu_config(port=ew11.port, slave_id=1)
    )
    refused = Device.objects.create(
        name="Refused", device_type="modbus_tcp", config=rtu_config(port=closed_port, slave_id=1)
    )
    inactive = Device.objects.create(
        name="Inactive", device_type="modbus_tcp", active=False, config=rtu_config(port=ew11.port, slave_id=1)
    )
    out = StringIO()

    with pytest.raises(CommandError, match="1 of 2 devices were not read"):
        call_command("poll", "--all", "--client", "acme", stdout=out)

    assert "Answering" in out.getvalue()
    assert "connection refused" in out.getvalue()
    assert "Inactive" not in out.getvalue()
    assert set(readings_latest(device_ids=[answering.pk, refused.pk, inactive.pk])) == {answering.pk}
