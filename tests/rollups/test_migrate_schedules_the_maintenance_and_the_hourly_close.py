"""`migrate` puts in beat's schedule, once each, the daily readings maintenance at READINGS_MAINTAIN_HOUR:17
and the hourly close of the rollups at ROLLUPS_CLOSE_MINUTE."""

from django_celery_beat.models import PeriodicTask

from analytics.tasks import maintenance_schedule_install


def _installed_twice(*, task: str) -> PeriodicTask:
    maintenance_schedule_install()
    maintenance_schedule_install()
    (installed,) = PeriodicTask.objects.filter(task=task)
    assert installed.enabled
    return installed


def test_the_maintenance_runs_daily_at_the_configured_hour(db, settings):
    settings.READINGS_MAINTAIN_HOUR = 4
    crontab = _installed_twice(task="analytics.readings_maintain_clients").crontab
    assert (crontab.hour, crontab.minute, crontab.day_of_week) == ("4", "17", "*")


def test_the_rollups_are_closed_every_hour_at_the_configured_minute(db, settings):
    settings.ROLLUPS_CLOSE_MINUTE = 52
    crontab = _installed_twice(task="analytics.rollups_close_clients").crontab
    assert (crontab.hour, crontab.minute, crontab.day_of_week) == ("*", "52", "*")
