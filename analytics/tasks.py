"""The readings maintenance (daily) and the rollups' close (hourly): beat sends one task, which sends one per
client into its schema."""

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_tenants.utils import get_public_schema_name, schema_context

from analytics.rollups import readings_maintenance_run, rollups_close_all
from meters.polling.schedule import tenant_schema_require
from tenants.models import Client

MAINTAIN_SCHEDULE = "readings-maintain"
MAINTAIN_CLIENTS_TASK = "analytics.readings_maintain_clients"
# A first close of a long history takes a while; work is committed a day of buckets at a time, so a
# run cut short by the limit is resumed by the next one.
MAINTAIN_TIME_LIMIT_S = 3600
CLOSE_SCHEDULE = "rollups-close"
CLOSE_CLIENTS_TASK = "analytics.rollups_close_clients"
# An hourly close finds an hour or two of readings per device; a longer one (after a gateway's backlog
# re-opened days) is resumed by the next run, and the per-device lock keeps two runs from clashing.
CLOSE_TIME_LIMIT_S = 900


def maintenance_schedule_install(**kwargs) -> None:
    """Beat runs the maintenance daily at READINGS_MAINTAIN_HOUR:17 and the close hourly at
    ROLLUPS_CLOSE_MINUTE; written by `migrate` rather than by beat at its start, which would look like a
    schedule change to it."""
    if connection.schema_name != get_public_schema_name():
        return
    _crontab_install(
        name=MAINTAIN_SCHEDULE,
        task=MAINTAIN_CLIENTS_TASK,
        minute="17",
        hour=str(settings.READINGS_MAINTAIN_HOUR),
    )
    # Pages sum closed buckets and read the readings after the close: closed hourly, that is an hour or
    # two of readings instead of up to a day since the daily run (docs/portal.md, "Speed").
    _crontab_install(
        name=CLOSE_SCHEDULE, task=CLOSE_CLIENTS_TASK, minute=str(settings.ROLLUPS_CLOSE_MINUTE), hour="*"
    )


def _crontab_install(*, name: str, task: str, minute: str, hour: str) -> None:
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.SCHEDULER_TIMEZONE,
    )
    PeriodicTask.objects.update_or_create(
        name=name, defaults={"task": task, "crontab": crontab, "interval": None, "enabled": True}
    )


def _each_client_send(task) -> None:
    for schema in Client.objects.clients().values_list("schema_name", flat=True):
        with schema_context(schema):
            task.delay()


@shared_task(name=MAINTAIN_CLIENTS_TASK, ignore_result=True)
def readings_maintain_clients() -> None:
    _each_client_send(readings_maintain)


# Acknowledged when taken, unlike polls: a run may outlast the broker's visibility timeout, which would
# hand a late-acknowledged one to a second worker while it still runs. A run killed halfway loses nothing:
# closing and packing resume where they stopped at the next day's run.
@shared_task(
    name="analytics.readings_maintain",
    ignore_result=True,
    acks_late=False,
    soft_time_limit=MAINTAIN_TIME_LIMIT_S,
    time_limit=MAINTAIN_TIME_LIMIT_S + 60,
)
def readings_maintain() -> int:
    """Close the rollup buckets of every device of the client whose schema the task runs in, then pack its
    old readings into cold chunks and drop the chunks past the retention; returns the buckets written."""
    tenant_schema_require()
    return readings_maintenance_run(now=timezone.now()).buckets


@shared_task(name=CLOSE_CLIENTS_TASK, ignore_result=True)
def rollups_close_clients() -> None:
    _each_client_send(rollups_close_client)


# Acknowledged when taken, as the maintenance: a close cut short loses nothing, the next hour's resumes it.
@shared_task(
    name="analytics.rollups_close_client",
    ignore_result=True,
    acks_late=False,
    soft_time_limit=CLOSE_TIME_LIMIT_S,
    time_limit=CLOSE_TIME_LIMIT_S + 60,
)
def rollups_close_client() -> int:
    """Close the rollup buckets of every device of the client whose schema the task runs in up to
    ROLLUPS_CLOSE_AFTER ago (no packing: that stays daily); returns the buckets written."""
    tenant_schema_require()
    return rollups_close_all(now=timezone.now())
