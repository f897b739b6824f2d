import json
from datetime import timedelta

from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from meters.polling.beat import PollEntry, schedule_lag_seconds
from meters.polling.schedule import POLL_TASK
from pieng.celery import app


def device_poll_last_run(seconds_ago: float) -> PollEntry:
    """A device's poll every 30 s as beat holds it (unsaved: beat reads it, never writes it here), sent
    last `seconds_ago` (beat loaded it before: loading skips whole intervals missed while it was down)."""
    model = PeriodicTask(
        name="poll:client_acme:1",
        task=POLL_TASK,
        interval=IntervalSchedule(every=30, period=IntervalSchedule.SECONDS),
        kwargs=json.dumps({"device_id": 1}),
        last_run_at=timezone.now(),
    )
    entry = PollEntry(model, app=app)
    entry.last_run_at -= timedelta(seconds=seconds_ago)
    return entry


def test_a_device_poll_sent_15_s_after_its_due_time_lags_15_s():
    assert 14.5 <= schedule_lag_seconds(device_poll_last_run(45)) <= 16


def test_a_device_poll_sent_before_its_due_time_does_not_lag_and_is_not_due():
    entry = device_poll_last_run(10)
    assert schedule_lag_seconds(entry) == 0
    assert not entry.is_due().is_due
    assert 19 <= entry.is_due().next <= 21


def test_a_device_poll_past_its_interval_is_due_and_comes_again_an_interval_later():
    entry = device_poll_last_run(31)
    assert entry.is_due() == (True, 30.0)
