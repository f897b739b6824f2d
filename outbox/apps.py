from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from outbox.tasks import drain_due_schedule_install

        # Beat's schedule lives in the public schema, with django-celery-beat's tables.
        post_migrate.connect(drain_due_schedule_install, sender=apps.get_app_config("django_celery_beat"))
