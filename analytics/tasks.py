"""The daily readings maintenance: beat sends one task, which sends one per client into its schema."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.rollups import rollups_close
from meters.models import Device
from meters.polling.schedule import tenant_schema_require
from tenants.models import Client

# A first close of a long history takes a while; work is committed a day of buckets at a time, so a
# run cut short by the limit is resumed by the next one.
MAINTAIN_TIME_LIMIT_S = 3600


@shared_task(name="analytics.readings_maintain_clients", ignore_result=True)
def readings_maintain_clients() -> None:
    for schema in Client.objects.clients().values_list("schema_name", flat=True):
        with schema_context(schema):
            readings_maintain.delay()


@shared_task(
    name="analytics.readings_maintain",
    ignore_result=True,
    soft_time_limit=MAINTAIN_TIME_LIMIT_S,
    time_limit=MAINTAIN_TIME_LIMIT_S + 60,
)
def readings_maintain() -> int:
    """Close the rollup buckets of every device of the client whose schema the task runs in."""
    tenant_schema_require()
    until = timezone.now() - settings.ROLLUPS_CLOSE_AFTER
    return sum(
        rollups_close(device_id=device_id, until=until)
        for device_id in Device.objects.values_list("pk", flat=True)
    )
