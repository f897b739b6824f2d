from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from analytics.settled import settled_readings_stored
        from analytics.tasks import maintenance_schedule_install
        from meters.readings.ingest import reading_batch_stored

        # Beat's schedule lives in the public schema, with django-celery-beat's tables.
        post_migrate.connect(maintenance_schedule_install, sender=apps.get_app_config("django_celery_beat"))
        # Late readings drop the figures cached for their devices' settled days.
        reading_batch_stored.connect(settled_readings_stored, dispatch_uid="analytics.settled")
