from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alarms.models import AlarmEvent, AlarmRule
from alarms.services import alarm_event_acknowledge, alarm_rule_create, alarm_rule_delete, alarm_rule_update
from pieng.admin_sites import ClientModelAdmin, client_admin


@admin.register(AlarmRule, site=client_admin)
class AlarmRuleAdmin(ClientModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "severity",
        "metric",
        "operator",
        "threshold",
        "duration_s",
        "device",
        "active",
    ]
    list_filter = ["active", "kind", "severity"]
    readonly_fields = ["ucl", "lcl", "limits_computed_at"]

    def save_model(self, request, obj: AlarmRule, form, change: bool) -> None:
        # Rule writes go through the services: control limits and the client's periodic check follow.
        fields = {
            name: form.cleaned_data[name] for name in (form.changed_data if change else form.cleaned_data)
        }
        if change:
            alarm_rule_update(rule=AlarmRule.objects.get(pk=obj.pk), fields=fields)
        else:
            obj.pk = alarm_rule_create(fields=fields).pk

    def delete_model(self, request, obj: AlarmRule) -> None:
        alarm_rule_delete(rule=obj)


class ActiveFilter(admin.SimpleListFilter):
    title = _("active")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active (raised, not cleared)")), ("no", _("History"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(kind=AlarmEvent.Kind.RAISED, cleared_at=None)
        if self.value() == "no":
            return queryset.exclude(kind=AlarmEvent.Kind.RAISED, cleared_at=None)
        return queryset


@admin.register(AlarmEvent, site=client_admin)
class AlarmEventAdmin(ClientModelAdmin):
    list_display = [
        "ts",
        "severity",
        "kind",
        "rule",
        "device",
        "metric",
        "value",
        "threshold",
        "cleared_at",
        "acknowledged_at",
        "acknowledged_by",
        "notified",
    ]
    list_filter = [ActiveFilter, "severity", "kind", "rule"]
    date_hierarchy = "ts"
    actions = ["acknowledge"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Acknowledge the selected raised events"))
    def acknowledge(self, request, queryset) -> None:
        events = list(queryset.filter(kind=AlarmEvent.Kind.RAISED, acknowledged_at=None))
        for event in events:
            alarm_event_acknowledge(event=event, username=request.user.get_username())
        self.message_user(
            request,
            ngettext("%(count)d event acknowledged.", "%(count)d events acknowledged.", len(events))
            % {"count": len(events)},
            messages.SUCCESS,
        )
