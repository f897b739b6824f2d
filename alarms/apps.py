from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlarmsConfig(AppConfig):
    name = "alarms"
    verbose_name = _("Alarms")

    def ready(self) -> None:
        from alarms.evaluate import alarm_readings_evaluate
        from meters.readings.ingest import READING_CONSUMERS

        if alarm_readings_evaluate not in READING_CONSUMERS:
            READING_CONSUMERS.append(alarm_readings_evaluate)
