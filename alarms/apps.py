from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "alarms"
    verbose_name = _("Alarms")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from alarms.evaluate import alarm_readings_evaluate
        from alarms.models import AlarmRule
        from alarms.signals import alarm_rules_changed
        from meters.readings.ingest import reading_batch_stored
        from tenants.models import Client

        reading_batch_stored.connect(alarm_readings_evaluate, dispatch_uid="alarms.evaluate")
        post_save.connect(alarm_rules_changed, sender=AlarmRule, dispatch_uid="alarms.rules_saved")
        post_delete.connect(alarm_rules_changed, sender=AlarmRule, dispatch_uid="alarms.rules_deleted")
        post_delete.connect(_client_deleted, sender=Client, dispatch_uid="alarms.check_schedule_remove")


def _client_deleted(sender, instance, **kwargs) -> None:
    from alarms.services import alarm_check_schedule_remove

    # The schema is gone: its check would fail on every beat.
    alarm_check_schedule_remove(schema=instance.schema_name)
