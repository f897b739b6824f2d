from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "alarms"
    verbose_name = _("Alarms")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from alarms.evaluate import alarm_readings_evaluate
        from meters.readings.ingest import reading_batch_stored
        from tenants.models import Client

        reading_batch_stored.connect(alarm_readings_evaluate, dispatch_uid="alarms.evaluate")
        post_delete.connect(_client_deleted, sender=Client, dispatch_uid="alarms.check_schedule_remove")


def _client_deleted(sender, instance, **kwargs) -> None:
    from alarms.services import alarm_check_schedule_remove

    # The schema is gone: its check would fail on every beat.
    alarm_check_schedule_remove(schema=instance.schema_name)
