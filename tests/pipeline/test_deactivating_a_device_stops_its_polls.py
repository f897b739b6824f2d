import time
from pathlib import Path

from django_celery_beat.models import PeriodicTask
from django_tenants.utils import tenant_context

from meters.polling.schedule import poll_schedule_name
from tests.helpers.pipeline import readings_count, rtu_config
from tests.helpers.waiting import wait_until

INTERVAL_S = 5


def beat_sends(log: Path, name: str) -> int:
    return log.read_text().count(f"Sending due task {name} ")


def test_beat_polls_an_active_device_and_stops_once_it_is_deactivated(
    client_a, device_make, ew11_start, celery_beat
):
    ew11 = ew11_start(slave_ids=[1])
    config = rtu_config(port=ew11.port, slave_id=1, poll_interval=INTERVAL_S)
    device = device_make(client=client_a, name="meter", config=config)
    name = poll_schedule_name(schema=client_a.schema_name, device_id=device.pk)
    schedule = PeriodicTask.objects.filter(name=name)
    assert schedule.exists()
    wait_until(lambda: readings_count(client=client_a, device_id=device.pk) >= 1, what="beat's first poll")

    with tenant_context(client_a):
        device.active = False
        device.save()
    time.sleep(1.5)  # beat looks for schedule changes every second; a poll already sent may still land
    stored, sent = readings_count(client=client_a, device_id=device.pk), beat_sends(celery_beat, name)
    time.sleep(INTERVAL_S + 2)

    assert not schedule.exists()
    assert beat_sends(celery_beat, name) == sent
    assert readings_count(client=client_a, device_id=device.pk) == stored
