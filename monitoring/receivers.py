"""Where the metrics are counted: Celery's task signals around the poll task, the ingest path's hook
and the alarm evaluation's signal. The poll code itself counts nothing."""

import time
from collections.abc import Sequence
from functools import partial

from celery.signals import task_postrun, task_prerun
from django.db import transaction

from meters.polling.poll import PollStatus
from meters.polling.schedule import POLL_TASK
from meters.readings.ingest import ReadingIn, reading_batch_stored
from monitoring import metrics

RESULT_OF_STATUS = {
    PollStatus.STORED: "stored",
    PollStatus.FAILED: "failed",
    PollStatus.TIMED_OUT: "failed",
    PollStatus.BACKING_OFF: "backed_off",
    PollStatus.ALREADY_POLLING: "skipped",
    PollStatus.BUS_BUSY: "skipped",
    PollStatus.NOT_POLLED: "skipped",
}

# Start times of the poll tasks running in this process, by task id (a worker runs several at once).
_started: dict[str, float] = {}


def poll_started(sender=None, task_id: str = "", **kwargs) -> None:
    if getattr(sender, "name", None) == POLL_TASK:
        _started[task_id] = time.monotonic()


def poll_finished(sender=None, task_id: str = "", retval=None, state: str = "", **kwargs) -> None:
    if getattr(sender, "name", None) != POLL_TASK:
        return
    started = _started.pop(task_id, None)
    if started is not None:
        metrics.poll_duration.observe(time.monotonic() - started)
    # A task that raised (its state is not SUCCESS) failed, whatever it returned.
    result = RESULT_OF_STATUS.get(retval, "failed") if state == "SUCCESS" else "failed"
    metrics.polls.labels(result=result).inc()


def readings_stored(*, readings: Sequence[ReadingIn], **signal) -> None:
    """Counted when the batch commits: a rolled-back batch stored nothing."""
    count, points = len(readings), sum(len(reading.metrics) for reading in readings)
    transaction.on_commit(partial(_ingested_count, readings=count, points=points))


def _ingested_count(*, readings: int, points: int) -> None:
    metrics.readings_ingested.inc(readings)
    metrics.values_ingested.inc(points)


def alarm_events_stored(sender=None, events: Sequence = (), **kwargs) -> None:
    kinds = [str(event.kind) for event in events]
    transaction.on_commit(partial(_alarm_events_count, kinds=kinds))


def _alarm_events_count(*, kinds: list[str]) -> None:
    for kind in kinds:
        metrics.alarm_events.labels(kind=kind).inc()


def receivers_connect() -> None:
    from alarms.evaluate import alarm_events_created

    task_prerun.connect(poll_started, weak=False, dispatch_uid="monitoring.poll_started")
    task_postrun.connect(poll_finished, weak=False, dispatch_uid="monitoring.poll_finished")
    reading_batch_stored.connect(readings_stored, dispatch_uid="monitoring.readings_stored")
    alarm_events_created.connect(alarm_events_stored, dispatch_uid="monitoring.alarm_events")
