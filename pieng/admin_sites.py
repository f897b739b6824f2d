"""Two admin sites: the platform back-office on the platform domain, and each client's own admin.

They are separate because a client's models live in the client's schema and do not exist in `public`.
"""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Pieng — platform back-office")
    site_title = _("Pieng platform")

    def has_permission(self, request) -> bool:
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def page_register(self, *, route: str, view, name: str, title: str) -> None:
        """A page of the back-office that is no model's (apps register theirs in their admin.py); it is
        listed first on the index under "Monitoring"."""
        self._pages.append({"route": route, "view": view, "name": name, "title": title})

    def get_urls(self):
        pages = [
            path(page["route"], self.admin_view(page["view"]), name=page["name"]) for page in self._pages
        ]
        return [*pages, *super().get_urls()]

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is None and self._pages:
            links = [
                {
                    "name": page["title"],
                    "object_name": page["name"],
                    "admin_url": reverse(f"{self.name}:{page['name']}"),
                    "view_only": True,
                }
                for page in self._pages
            ]
            apps.insert(
                0,
                {
                    "name": _("Monitoring"),
                    "app_label": "monitoring",
                    "app_url": links[0]["admin_url"],
                    "has_module_perms": True,
                    "models": links,
                },
            )
        return apps


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
