"""Celery tasks: thin wrappers around the services, which hold the logic and are called directly by
`manage.py poll` and the API."""

from celery import shared_task

from meters.polling.poll import PollStatus, device_poll_by_id
from meters.polling.remote import READ_TASK, device_poll_and_reply
from meters.polling.schedule import POLL_TASK, tenant_schema_require

# Past the dead worker's locks: their own end, plus this margin.
REDO_MARGIN_S = 0.5


@shared_task(name=POLL_TASK, ignore_result=True, bind=True)
def poll_device(self, device_id: int) -> str:
    """Beat sends it with the device's client schema in its headers; without one it fails.

    A poll whose worker died comes back to the queue (late acknowledgement: at once when a pool process
    dies, after the broker's visibility timeout when the whole worker does) and may find the device or its
    bus still locked by the dead worker: it is redone once those locks have expired, instead of being
    dropped as a duplicate. Its expiry (the poll interval) still applies: a poll superseded by the next
    scheduled one is dropped.
    """
    tenant_schema_require()
    outcome = device_poll_by_id(device_id=device_id)
    blocked = outcome.status in (PollStatus.ALREADY_POLLING, PollStatus.BUS_BUSY)
    if blocked and (self.request.delivery_info or {}).get("redelivered"):
        raise self.retry(countdown=outcome.blocked_for + REDO_MARGIN_S, max_retries=1)
    return outcome.status.value


@shared_task(name=READ_TASK, ignore_result=True)
def read_device(device_id: int, reply_to: str) -> str:
    """An operator's "read now" of a device behind a collector, run by a worker of that collector."""
    tenant_schema_require()
    return device_poll_and_reply(device_id=device_id, reply_to=reply_to).status.value
