from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meters.config import config_masked, config_secrets_kept
from meters.models import Device
from pieng.admin_sites import ClientModelAdmin, client_admin


class DeviceForm(forms.ModelForm):
    """The config's secrets are write-only here too: the form shows "***" and keeps the stored secret when
    "***" comes back."""

    class Meta:
        model = Device
        fields = ["name", "device_type", "active", "role", "nominal_voltage", "config"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.config, dict):
            self.initial["config"] = config_masked(self.instance.config)

    def clean_config(self):
        config = self.cleaned_data["config"]
        if not isinstance(config, dict):
            return config  # the model's clean names what is wrong with it
        same_type = self.instance.pk and self.cleaned_data.get("device_type") == self.instance.device_type
        return config_secrets_kept(current=self.instance.config if same_type else {}, changes=config)


@admin.register(Device, site=client_admin)
class DeviceAdmin(ClientModelAdmin):
    form = DeviceForm
    list_display = [
        "name",
        "device_type",
        "driver",
        "active",
        "role",
        "status",
        "last_reading_at",
        "last_error",
    ]
    list_filter = ["device_type", "active", "role", "collector"]
    search_fields = ["name"]
    readonly_fields = [
        "status",
        "last_reading_at",
        "last_attempt_at",
        "last_error",
        "consecutive_failures",
        "created_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["name", "device_type", "active", "role", "nominal_voltage", "collector", "config"]},
        ),
        (_("Status"), {"fields": readonly_fields}),
    ]

    @admin.display(description=_("status"))
    def status(self, obj: Device) -> str:
        return Device.Status(obj.status).label
