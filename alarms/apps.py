from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "alarms"
    verbose_name = _("Alarms")

    def ready(self) -> None:
        from alarms.evaluate import alarm_readings_evaluate
        from meters.readings.ingest import reading_batch_stored

        reading_batch_stored.connect(alarm_readings_evaluate, dispatch_uid="alarms.evaluate")
