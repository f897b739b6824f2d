from django.db import models
from django.utils.translation import gettext_lazy as _

from alarms.models import Severity
from meters.fields import ConfigField

# The secrets of the channel kinds' configs (notifications.channels.CONFIGS).
CHANNEL_SECRET_FIELDS = ("auth_token", "bot_token", "secret")


class NotificationChannel(models.Model):
    """Where a client's alarm events are sent: an e-mail list, a webhook, a Telegram chat or a phone (SMS).

    `config` holds the kind's settings (notifications.channels), secrets included: they are write-only in
    the API and the admin.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail")
        WEBHOOK = "webhook", _("webhook")
        TELEGRAM = "telegram", _("Telegram")
        SMS = "sms", _("SMS")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    min_severity = models.CharField(
        _("minimum severity"), max_length=8, choices=Severity.choices, default=Severity.WARNING
    )
    send_cleared = models.BooleanField(_("send cleared events"), default=True)
    # Webhook secrets and gateway tokens are encrypted at rest, as device secrets are.
    config = ConfigField(_("configuration"), default=dict, secret_fields=CHANNEL_SECRET_FIELDS)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
