from django_celery_beat.models import PeriodicTask

from meters.demo import DemoPorts, demo_devices_seed
from meters.models import Device
from meters.polling.schedule import poll_schedule_name

PORTS = DemoPorts(modbus_tcp=15020, ew11=18899, tuya=16668)


def test_seeding_twice_leaves_four_scheduled_devices(acme, in_acme):
    demo_devices_seed(client=acme, ports=PORTS)
    demo_devices_seed(client=acme, ports=PORTS)

    devices = list(Device.objects.all())
    assert len(devices) == 4
    for device in devices:
        assert PeriodicTask.objects.filter(name=poll_schedule_name(schema="client_acme", device_id=device.pk))


def test_seeding_again_follows_moved_ports_and_keeps_a_device_the_user_turned_off(acme, in_acme):
    [first, *_] = demo_devices_seed(client=acme, ports=PORTS)
    Device.objects.filter(pk=first.pk).update(active=False)

    demo_devices_seed(client=acme, ports=DemoPorts(modbus_tcp=25020, ew11=28899, tuya=26668))

    first.refresh_from_db()
    assert (first.config["port"], first.active) == (25020, False)
