"""Celery tasks: thin wrappers around the services, which hold the logic and are called directly by
`manage.py poll` and the API."""

from celery import shared_task

from meters.polling.forwarding import FORWARD_TASK, ForwardUnavailable, readings_forward
from meters.polling.lanes import device_lock_seconds_left
from meters.polling.poll import PollStatus, device_poll_by_id
from meters.polling.schedule import POLL_TASK, tenant_schema_require

# Past the dead worker's lock: the lock's own end, plus this margin.
REDO_MARGIN_S = 0.5


@shared_task(name=POLL_TASK, ignore_result=True, bind=True)
def poll_device(self, device_id: int) -> str:
    """Beat sends it with the device's client schema in its headers; without one it fails.

    A poll whose worker was killed comes back (late acknowledgement), and finds the device still locked by
    the dead worker: it is redone once that lock has expired, instead of being dropped as a duplicate.
    Its expiry (the poll interval) still applies: a poll superseded by the next scheduled one is dropped.
    """
    schema = tenant_schema_require()
    status = device_poll_by_id(device_id=device_id).status
    if status == PollStatus.ALREADY_POLLING and (self.request.delivery_info or {}).get("redelivered"):
        countdown = device_lock_seconds_left(schema=schema, device_id=device_id) + REDO_MARGIN_S
        raise self.retry(countdown=countdown, max_retries=1)
    return status.value


@shared_task(
    name=FORWARD_TASK,
    ignore_result=True,
    autoretry_for=(ForwardUnavailable,),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=20,
)
def forward_readings(client: str, readings: list[dict]) -> None:
    readings_forward(client=client, readings=readings)
