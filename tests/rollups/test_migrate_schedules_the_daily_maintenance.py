"""`migrate` puts the daily readings maintenance in beat's schedule, once, at READINGS_MAINTAIN_HOUR:17."""

from django_celery_beat.models import PeriodicTask

from analytics.tasks import maintenance_schedule_install


def test_the_maintenance_runs_daily_at_the_configured_hour(db, settings):
    settings.READINGS_MAINTAIN_HOUR = 4
    maintenance_schedule_install()
    maintenance_schedule_install()

    (task,) = PeriodicTask.objects.filter(task="analytics.readings_maintain_clients")
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("4", "17", "*")
    assert task.enabled
