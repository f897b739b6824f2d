from django.contrib import admin

from alarms.models import AlarmEvent, AlarmRule
from pieng.admin_sites import ClientModelAdmin, client_admin


@admin.register(AlarmRule, site=client_admin)
class AlarmRuleAdmin(ClientModelAdmin):
    list_display = ["__str__", "metric", "operator", "threshold", "device", "active"]
    list_filter = ["active", "operator"]


@admin.register(AlarmEvent, site=client_admin)
class AlarmEventAdmin(ClientModelAdmin):
    list_display = ["ts", "rule", "device", "metric", "value", "kind"]
    list_filter = ["kind", "rule"]
    date_hierarchy = "ts"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
