from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MetersConfig(AppConfig):
    name = "meters"
    verbose_name = _("Meters")

    def ready(self) -> None:
        # The tasks live in meters.polling, out of reach of Celery's autodiscovery of `<app>.tasks`.
        from meters.models import Device
        from meters.polling import schedule_receivers, tasks  # noqa: F401
        from tenants.models import Client

        post_save.connect(schedule_receivers.device_saved, sender=Device, dispatch_uid="meters.schedule_sync")
        post_delete.connect(
            schedule_receivers.device_deleted, sender=Device, dispatch_uid="meters.schedule_remove"
        )
        post_delete.connect(
            schedule_receivers.client_deleted, sender=Client, dispatch_uid="meters.client_schedules_remove"
        )
        post_save.connect(
            schedule_receivers.client_saved, sender=Client, dispatch_uid="meters.client_schedules_enable"
        )
