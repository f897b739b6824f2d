from celery import shared_task

from alarms.services import CHECK_TASK, alarm_client_check
from meters.polling.schedule import tenant_schema_require


@shared_task(name=CHECK_TASK, ignore_result=True)
def client_check() -> int:
    """Beat sends it with the client's schema in its headers (alarms.services.alarm_check_schedule_sync)."""
    tenant_schema_require()
    return len(alarm_client_check())
