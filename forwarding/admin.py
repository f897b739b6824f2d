from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from forwarding.models import Link, MirrorClient
from forwarding.services import link_create, link_revoke
from pieng.admin_sites import platform_admin


@admin.register(Link, site=platform_admin)
class LinkAdmin(admin.ModelAdmin):
    """On a slave: the masters allowed to forward here. A new link's token is shown once, on saving."""

    list_display = ["name", "created_at", "revoked_at", "last_forward_at"]
    fields = ["name", "created_at", "revoked_at", "last_forward_at"]
    readonly_fields = ["created_at", "revoked_at", "last_forward_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, not deleted: its mirror clients name it

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        link, token = link_create(name=obj.name)
        obj.pk = link.pk
        self.message_user(
            request,
            _("The link's token, shown this once (the master's FORWARDER_TOKEN): %(token)s")
            % {"token": token},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request, queryset) -> None:
        for link in queryset:
            link_revoke(link=link)


@admin.register(MirrorClient, site=platform_admin)
class MirrorClientAdmin(admin.ModelAdmin):
    list_display = ["client", "link", "created_at"]
    readonly_fields = ["client", "link", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
