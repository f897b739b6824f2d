import json
from datetime import timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from meters.models import Device
from meters.polling.schedule import POLL_TASK, device_schedule_sync, poll_schedule_name
from tests.helpers.pipeline import rtu_config


@pytest.fixture
def device(in_acme):
    config = rtu_config(port=8899, slave_id=1)
    return Device.objects.create(name="meter", device_type="modbus_tcp", config=config)


def schedule_of(device: Device) -> PeriodicTask | None:
    name = poll_schedule_name(schema="client_acme", device_id=device.pk)
    return PeriodicTask.objects.filter(name=name).first()


def test_saving_an_active_device_schedules_its_poll_in_its_clients_schema(device):
    task = schedule_of(device)

    assert (task.task, task.enabled) == (POLL_TASK, True)
    assert (task.interval.every, task.interval.period) == (30, "seconds")
    assert json.loads(task.kwargs) == {"device_id": device.pk}
    assert json.loads(task.headers) == {"_schema_name": "client_acme"}
    assert task.expire_seconds == 30


def test_a_new_device_falls_due_within_one_interval(device):
    task = schedule_of(device)

    assert timedelta(0) < task.schedule.remaining_estimate(task.last_run_at) <= timedelta(seconds=30)


def test_changing_the_poll_interval_changes_the_schedule(device):
    device.config = {**device.config, "poll_interval": 60}
    device.save()

    assert schedule_of(device).interval.every == 60


def test_deactivating_a_device_removes_its_schedule(device):
    device.active = False
    device.save()

    assert schedule_of(device) is None


def test_reactivating_a_device_schedules_it_again(device):
    device.active = False
    device.save()
    device.active = True
    device.save()

    assert schedule_of(device) is not None


def test_deleting_a_device_removes_its_schedule(device):
    task = schedule_of(device)
    device.delete()

    assert not PeriodicTask.objects.filter(pk=task.pk).exists()


def test_a_sync_that_changes_nothing_does_not_touch_the_schedule(device):
    before = schedule_of(device).date_changed

    device_schedule_sync(device=device)

    assert schedule_of(device).date_changed == before
