"""Wiring of the collection pipeline into the models and the ingest path (connected in MetersConfig.ready).

Device saves keep the beat schedule in step; services and the API may also call
`device_schedule_sync` themselves (it changes nothing when the schedule is already right). Status updates
by the poller are queryset updates and fire nothing.
"""

from django.db import connection
from django.db.models.signals import post_delete, post_save

from meters.models import Device
from meters.polling.forwarding import readings_forward_on_commit
from meters.polling.schedule import client_schedules_remove, device_schedule_remove, device_schedule_sync
from meters.readings.ingest import READING_CONSUMERS
from tenants.models import Client


def device_saved(sender, instance: Device, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixtures load rows as they are; their schedules are synced by whoever loads them
        device_schedule_sync(device=instance)


def device_deleted(sender, instance: Device, **kwargs) -> None:
    device_schedule_remove(schema=connection.schema_name, device_id=instance.pk)


def client_deleted(sender, instance: Client, **kwargs) -> None:
    # The schema, and the devices in it, are gone: their polls would fail on every beat.
    client_schedules_remove(schema=instance.schema_name)


def pipeline_connect() -> None:
    post_save.connect(device_saved, sender=Device, dispatch_uid="meters.device_schedule_sync")
    post_delete.connect(device_deleted, sender=Device, dispatch_uid="meters.device_schedule_remove")
    post_delete.connect(client_deleted, sender=Client, dispatch_uid="meters.client_schedules_remove")
    if readings_forward_on_commit not in READING_CONSUMERS:
        READING_CONSUMERS.append(readings_forward_on_commit)
