from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import OutboxMessage
from outbox.selectors import outbox_backlog_per_client, outbox_backlog_per_kind
from outbox.services import outbox_retry_parked
from pieng.admin_sites import platform_admin
from tenants.models import Client


@admin.register(OutboxMessage, site=platform_admin)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "schema_name",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "error",
    ]
    list_filter = ["state", "kind", "schema_name"]
    search_fields = ["last_error"]
    actions = ["retry_parked"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("last error"))
    def error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Retry the selected parked messages"))
    def retry_parked(self, request, queryset) -> None:
        count = outbox_retry_parked(ids=list(queryset.values_list("id", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def changelist_view(self, request, extra_context=None):
        per_kind = outbox_backlog_per_kind()
        names = dict(Client.objects.values_list("schema_name", "name"))
        per_client = [
            {"kind": kind, "client": names.get(schema, schema), **figures}
            for kind in per_kind
            for schema, figures in outbox_backlog_per_client(kind=kind).items()
        ]
        extra_context = (extra_context or {}) | {
            "backlog_per_kind": per_kind,
            "backlog_per_client": per_client,
        }
        return super().changelist_view(request, extra_context=extra_context)
