from django.db import connection
from django_celery_beat.models import PeriodicTask
from django_tenants.utils import tenant_context

from meters.models import Device
from tenants.services import client_create
from tests.helpers.pipeline import rtu_config


def test_the_polls_of_a_deleted_clients_devices_are_unscheduled(db, acme):
    gone = client_create(name="Gone", slug="gone")
    config = rtu_config(port=8899, slave_id=1)
    for client in (gone, acme):
        with tenant_context(client):
            Device.objects.create(name="meter", device_type="modbus_tcp", config=config)

    connection.set_schema_to_public()
    gone.delete()

    assert not PeriodicTask.objects.filter(name__startswith="poll:client_gone:").exists()
    assert PeriodicTask.objects.filter(name__startswith="poll:client_acme:").exists()
