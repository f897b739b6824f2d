"""Two admin sites: the platform back-office on the platform domain, and each client's own admin.

They are separate because a client's models live in the client's schema and do not exist in `public`.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from meters.selectors import platform_device_health


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Pieng — platform back-office")
    site_title = _("Pieng platform")

    def has_permission(self, request) -> bool:
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

    def get_urls(self):
        health = self.admin_view(self.device_health_view)
        return [path("health/devices/", health, name="device_health"), *super().get_urls()]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is None:
            link = {
                "name": _("Device health"),
                "object_name": "health",
                "admin_url": reverse(f"{self.name}:device_health"),
                "view_only": True,
            }
            apps.insert(
                0,
                {
                    "name": _("Monitoring"),
                    "app_label": "monitoring",
                    "app_url": link["admin_url"],
                    "has_module_perms": True,
                    "models": [link],
                },
            )
        return apps

    def device_health_view(self, request):
        """Every client's devices, online / offline / failing, with their last error, per gateway."""
        context = {
            **self.each_context(request),
            "title": _("Device health"),
            "clients": platform_device_health(),
        }
        return TemplateResponse(request, "admin/device_health.html", context)


class ClientAdminSite(admin.AdminSite):
    site_title = _("Pieng")

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = _("Pieng — %(client)s") % {"client": request.tenant.name}
        return context

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.can_reach(request.tenant)


platform_admin = PlatformAdminSite(name="platform_admin")
client_admin = ClientAdminSite(name="client_admin")


class ClientModelAdmin(admin.ModelAdmin):
    """Inside a client's admin, whoever may enter the site manages that client's objects."""

    def has_module_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)
