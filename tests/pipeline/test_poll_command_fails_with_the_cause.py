import pytest
from django.core.management import CommandError, call_command

from meters.models import Device
from tests.helpers.pipeline import rtu_config


def test_a_meter_that_cannot_be_reached_fails_the_command_with_the_cause_and_counts_a_failure(
    in_acme, closed_port
):
    meter = Device.objects.create(
        name="Desligado", device_type="modbus_tcp", config=rtu_config(port=closed_port, slave_id=1)
    )

    with pytest.raises(CommandError, match=r"^Desligado: connection refused by 127\.0\.0\.1:\d+$") as failure:
        call_command("poll", str(meter.pk), "--client", "acme")

    assert failure.value.returncode != 0
    meter.refresh_from_db()
    assert meter.consecutive_failures == 1
    assert meter.last_error.startswith("connection refused")


def test_an_unknown_device_is_named_in_the_error(in_acme):
    with pytest.raises(CommandError, match="no device named 'nope' in this client"):
        call_command("poll", "nope", "--client", "acme")


def test_the_client_must_be_named_when_there_are_several(acme, globex):
    with pytest.raises(CommandError, match=r"name the client with --client \(.*acme.*globex"):
        call_command("poll", "1")
