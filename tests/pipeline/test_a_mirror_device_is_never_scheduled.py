from django_celery_beat.models import PeriodicTask

from meters.models import Device
from meters.polling.schedule import poll_schedule_name


def test_an_active_mirror_device_gets_no_poll_schedule(in_acme):
    device = Device.objects.create(name="master's meter", device_type="modbus_tcp", mirror=True)

    assert device.active
    assert not PeriodicTask.objects.filter(
        name=poll_schedule_name(schema="client_acme", device_id=device.pk)
    ).exists()
