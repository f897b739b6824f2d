from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from meters.polling.beat import PollEntry
from pieng.celery import app as celery_app

INTERVAL_S = 30


def test_a_sent_poll_comes_due_again_one_interval_later_with_the_same_task(db):
    every = IntervalSchedule.objects.create(every=INTERVAL_S, period=IntervalSchedule.SECONDS)
    task = PeriodicTask.objects.create(
        name="poll:once:1",
        task="meters.poll_device",
        interval=every,
        kwargs='{"device_id": 1}',
        headers='{"_schema_name": "client_x"}',
        last_run_at=timezone.now(),
    )
    entry = PollEntry(task, app=celery_app)

    following = next(entry)

    assert (following.task, following.kwargs) == ("meters.poll_device", {"device_id": 1})
    assert following.options["headers"]["_schema_name"] == "client_x"
    assert following.is_due().is_due is False
    assert INTERVAL_S - 2 <= following.is_due().next <= INTERVAL_S
