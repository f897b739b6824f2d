from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

NOTIFICATION_BATCH = 20


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications.services import NOTIFICATION_KIND, notifications_deliver
        from outbox.kinds import outbox_kind_register

        # Unordered: each message stands alone, and a receiver that is down holds up nobody else's.
        outbox_kind_register(
            kind=NOTIFICATION_KIND,
            deliver=notifications_deliver,
            batch_size=NOTIFICATION_BATCH,
            ordered=False,
        )
