from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meters.models import Device
from pieng.admin_sites import ClientModelAdmin, client_admin


@admin.register(Device, site=client_admin)
class DeviceAdmin(ClientModelAdmin):
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
