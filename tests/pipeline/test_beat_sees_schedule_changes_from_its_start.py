import time

import pytest
from django_celery_beat.models import PeriodicTask, PeriodicTasks

from meters.polling.beat import CHANGE_CHECK_S, DatabaseScheduler
from pieng.celery import app as celery_app
from tests.helpers.waiting import wait_until


@pytest.fixture
def scheduler(committed):
    """Beat's scheduler as `celery beat` makes it, on a database where no periodic task was saved yet."""
    PeriodicTasks.objects.all().delete()
    yield DatabaseScheduler(app=celery_app)
    PeriodicTask.objects.filter(name="celery.backend_cleanup").delete()


def test_the_first_schedule_change_after_beat_starts_is_seen(scheduler):
    PeriodicTasks.update_changed()  # what saving a device's PeriodicTask does

    # Beat looks at most every CHANGE_CHECK_S; it must see the change at its next look.
    wait_until(scheduler.schedule_changed, timeout=CHANGE_CHECK_S + 2, what="beat to see the change")


def test_no_change_is_no_change(scheduler):
    time.sleep(CHANGE_CHECK_S)

    assert not scheduler.schedule_changed()
