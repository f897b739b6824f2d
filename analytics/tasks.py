"""The daily readings maintenance: beat sends one task, which sends one per client into its schema."""

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_tenants.utils import get_public_schema_name, schema_context

from analytics.rollups import readings_maintenance_run
from meters.polling.schedule import tenant_schema_require
from tenants.models import Client

MAINTAIN_SCHEDULE = "readings-maintain"
MAINTAIN_CLIENTS_TASK = "analytics.readings_maintain_clients"
# A first close of a long history takes a while; work is committed a day of buckets at a time, so a
# run cut short by the limit is resumed by the next one.
MAINTAIN_TIME_LIMIT_S = 3600


def maintenance_schedule_install(**kwargs) -> None:
    """Beat runs the maintenance daily at READINGS_MAINTAIN_HOUR:17; written by `migrate` rather than by
    beat at its start, which would look like a schedule change to it."""
    if connection.schema_name != get_public_schema_name():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="17",
        hour=str(settings.READINGS_MAINTAIN_HOUR),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.SCHEDULER_TIMEZONE,
    )
    PeriodicTask.objects.update_or_create(
        name=MAINTAIN_SCHEDULE,
        defaults={"task": MAINTAIN_CLIENTS_TASK, "crontab": crontab, "interval": None, "enabled": True},
    )


@shared_task(name=MAINTAIN_CLIENTS_TASK, ignore_result=True)
def readings_maintain_clients() -> None:
    for schema in Client.objects.clients().values_list("schema_name", flat=True):
        with schema_context(schema):
            readings_maintain.delay()


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
