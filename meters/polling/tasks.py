"""Celery tasks: thin wrappers around the services, which hold the logic and are called directly by
`manage.py poll` and the API."""

from celery import shared_task

from meters.polling.poll import device_poll_by_id
from meters.polling.schedule import POLL_TASK, tenant_schema_require


@shared_task(name=POLL_TASK, ignore_result=True)
def poll_device(device_id: int) -> str:
    """Beat sends it with the device's client schema in its headers; without one it fails."""
    tenant_schema_require()
    return device_poll_by_id(device_id=device_id).status.value
