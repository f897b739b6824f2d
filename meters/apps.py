from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetersConfig(AppConfig):
    name = "meters"
    verbose_name = _("Meters")

    def ready(self) -> None:
        # The tasks live in meters.polling, out of reach of Celery's autodiscovery of `<app>.tasks`.
        from meters.polling import tasks  # noqa: F401
        from meters.signals import pipeline_connect

        pipeline_connect()
