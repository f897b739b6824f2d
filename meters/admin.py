from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from meters.config import config_masked, config_secrets_kept
from meters.models import Device
from meters.readings.series import readings_recent
from meters.selectors import metrics_grouped, platform_device_health
from pieng.admin_sites import ClientModelAdmin, client_admin, platform_admin

RECENT_READINGS = 50
BIGINT_MAX = 2**63 - 1


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
        "recent_readings",
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

    @admin.display(description=_("readings"))
    def recent_readings(self, obj: Device) -> str:
        url = reverse(f"{self.admin_site.name}:meters_device_readings", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("recent readings"))

    def get_urls(self):
        readings = self.admin_site.admin_view(self.readings_view)
        return [path("<int:pk>/readings/", readings, name="meters_device_readings"), *super().get_urls()]

    def readings_view(self, request, pk: int):
        """The device's latest readings with labels and units; read-only: readings are never edited."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if pk > BIGINT_MAX:
            raise Http404
        device = get_object_or_404(Device, pk=pk)
        readings = [
            (ts, [metric for _group, metrics in metrics_grouped(values=values) for metric in metrics])
            for ts, values in readings_recent(device_id=device.pk, limit=RECENT_READINGS)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recent readings of %(device)s") % {"device": device.name},
            "device": device,
            "readings": readings,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meters/device_readings.html", context)


def device_health_view(request):
    """Every client's devices, online / offline / failing, with their last error, per gateway: the page an
    installer opens first in the morning."""
    context = {
        **platform_admin.each_context(request),
        "title": _("Device health"),
        "clients": platform_device_health(),
    }
    return TemplateResponse(request, "admin/device_health.html", context)


platform_admin.page_register(
    route="health/devices/", view=device_health_view, name="device_health", title=_("Device health")
)
