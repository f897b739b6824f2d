from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from analytics.tasks import maintenance_schedule_install

        # Beat's schedule lives in the public schema, with django-celery-beat's tables.
        post_migrate.connect(maintenance_schedule_install, sender=apps.get_app_config("django_celery_beat"))
