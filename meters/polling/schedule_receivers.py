"""Receivers that keep the beat schedule in step with devices and clients (connected in MetersConfig.ready).

Services and the API may also call `device_schedule_sync` themselves (it changes nothing when the schedule
is already right). Status updates by the poller are queryset updates and fire nothing.
"""

from django.db import connection

from meters.models import Device
from meters.polling.schedule import (
    client_schedules_enable,
    client_schedules_remove,
    device_schedule_remove,
    device_schedule_sync,
)
from tenants.models import Client


def device_saved(sender, instance: Device, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixtures load rows as they are; their schedules are synced by whoever loads them
        device_schedule_sync(device=instance)


def device_deleted(sender, instance: Device, **kwargs) -> None:
    device_schedule_remove(schema=connection.schema_name, device_id=instance.pk)


def client_deleted(sender, instance: Client, **kwargs) -> None:
    # The schema, and the devices in it, are gone: their polls would fail on every beat.
    client_schedules_remove(schema=instance.schema_name)


def client_saved(sender, instance: Client, raw: bool = False, **kwargs) -> None:
    # A suspended client's polls are switched off, and on again when it is active.
    if not raw and not instance.is_platform:
        client_schedules_enable(schema=instance.schema_name, enabled=instance.active)
