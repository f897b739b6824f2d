""" "Read now" of a device behind a collector. Its meter hangs off the collector's machine (a USB-RS485 stick
on the client's site), which the web process cannot reach: the read goes to the collector's queue as its
polls do, and its outcome comes back through a Redis list that the web process waits on (the platform keeps
no Celery results)."""

import json
import uuid
from datetime import datetime

from celery import current_app
from django.conf import settings

from meters.models import Device
from meters.polling.collectors import collector_queue, device_collector_offline
from meters.polling.lanes import KEY_PREFIX, redis_client
from meters.polling.poll import PollOutcome, PollStatus, device_lane_wait, device_poll

READ_TASK = "meters.read_device"
# A reply nobody waits for any more is dropped by Redis after this long.
REPLY_TTL_S = 60
# Past the read's own time: the task's trip through the queue and the store on the collector.
TRIP_MARGIN_S = 5.0


def remote_read_wait_seconds(*, device: Device) -> float:
    """How long a forced poll may take on the collector: its wait for the bus, its read, then the store."""
    return device_lane_wait(device=device) + settings.POLL_READ_MAX_SECONDS + TRIP_MARGIN_S


def device_poll_on_collector(*, device: Device) -> PollOutcome:
    """A forced poll of the device, run by a worker of its collector; COLLECTOR_OFFLINE when none has been
    seen for three poll intervals, COLLECTOR_SILENT when none answered in time."""
    if device_collector_offline(device=device, fresh=True):
        return PollOutcome(PollStatus.COLLECTOR_OFFLINE, error=f"collector {device.collector!r} is offline")
    wait = remote_read_wait_seconds(device=device)
    reply_to = f"{KEY_PREFIX}read-reply:{uuid.uuid4().hex}"
    current_app.send_task(
        READ_TASK,
        kwargs={"device_id": device.pk, "reply_to": reply_to},
        queue=collector_queue(device.collector),
        expires=wait,
        retry=False,
    )
    answer = redis_client().blpop([reply_to], timeout=wait)
    if answer is None:
        error = f"collector {device.collector!r} did not answer within {wait:g} s"
        return PollOutcome(PollStatus.COLLECTOR_SILENT, error=error)
    return _outcome_load(answer[1])


def device_poll_and_reply(*, device_id: int, reply_to: str) -> PollOutcome:
    """On the collector: the forced poll, its outcome pushed to the list the web process waits on."""
    device = Device.objects.filter(pk=device_id).first()
    outcome = PollOutcome(PollStatus.NOT_POLLED) if device is None else device_poll(device=device, force=True)
    with redis_client().pipeline() as pipe:
        pipe.rpush(reply_to, _outcome_dump(outcome)).expire(reply_to, REPLY_TTL_S).execute()
    return outcome


def _outcome_dump(outcome: PollOutcome) -> str:
    ts = outcome.ts.isoformat() if outcome.ts else None
    return json.dumps(
        {"status": outcome.status.value, "ts": ts, "metrics": outcome.metrics, "error": outcome.error}
    )


def _outcome_load(raw: bytes) -> PollOutcome:
    answer = json.loads(raw)
    ts = datetime.fromisoformat(answer["ts"]) if answer["ts"] else None
    return PollOutcome(PollStatus(answer["status"]), ts=ts, metrics=answer["metrics"], error=answer["error"])
