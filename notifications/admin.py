from django import forms
from django.contrib import admin

from meters.config import ConfigError
from notifications.channels import channel_config_clean, channel_config_masked
from notifications.models import NotificationChannel
from pieng.admin_sites import ClientModelAdmin, client_admin


class ChannelForm(forms.ModelForm):
    """The config is edited with its secrets masked; a masked or omitted secret keeps the stored one."""

    class Meta:
        model = NotificationChannel
        fields = ["name", "kind", "min_severity", "send_cleared", "config", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["config"] = channel_config_masked(
                kind=self.instance.kind, config=self.instance.config
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        kind, config = cleaned.get("kind"), cleaned.get("config")
        if kind and config is not None:
            stored = self.instance.config if self.instance.pk and self.instance.kind == kind else {}
            try:
                cleaned["config"] = channel_config_clean(kind=kind, config=config, stored=stored)
            except ConfigError as error:
                self.add_error("config", str(error))
        return cleaned


@admin.register(NotificationChannel, site=client_admin)
class NotificationChannelAdmin(ClientModelAdmin):
    form = ChannelForm
    list_display = ["name", "kind", "min_severity", "send_cleared", "active"]
    list_filter = ["kind", "active"]
