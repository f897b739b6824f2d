from datetime import timedelta

from celery.beat import ScheduleEntry
from celery.schedules import schedule
from django.utils import timezone

from meters.polling.beat import schedule_lag_seconds
from meters.polling.schedule import POLL_TASK
from pieng.celery import app


def entry_last_run(seconds_ago: float) -> ScheduleEntry:
    return ScheduleEntry(
        name="poll:client_acme:1",
        task=POLL_TASK,
        last_run_at=timezone.now() - timedelta(seconds=seconds_ago),
        schedule=schedule(timedelta(seconds=30), app=app),
        app=app,
    )


def test_a_poll_sent_15_s_after_its_due_time_lags_15_s():
    assert 14.5 <= schedule_lag_seconds(entry_last_run(45)) <= 16


def test_a_poll_sent_before_its_due_time_does_not_lag():
    assert schedule_lag_seconds(entry_last_run(10)) == 0
