"""Beat restarted after an outage longer than the poll interval: each device's poll comes due within one
interval at its own phase, not all at once."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from meters.polling.beat import PollEntry
from pieng.celery import app as celery_app

INTERVAL_S = 30


@pytest.fixture
def stale_tasks(db):
    """Ten polls whose last saved runs are ten minutes old, three seconds of phase apart."""
    every = IntervalSchedule.objects.create(every=INTERVAL_S, period=IntervalSchedule.SECONDS)
    ago = timezone.now() - timedelta(minutes=10)
    return [
        PeriodicTask.objects.create(
            name=f"poll:burst:{n}",
            task="meters.poll_device",
            interval=every,
            last_run_at=ago + timedelta(seconds=3 * n),
        )
        for n in range(10)
    ]


def test_polls_missed_while_beat_was_down_come_due_spread_over_one_interval(stale_tasks):
    entries = [PollEntry(task, app=celery_app) for task in stale_tasks]

    due_in = [entry.is_due().next for entry in entries]
    due_now = [entry.is_due().is_due for entry in entries]

    assert sum(due_now) <= 1
    assert all(0 <= seconds <= INTERVAL_S for seconds in due_in)
    assert len({round(seconds) for seconds in due_in}) >= 9
