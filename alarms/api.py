"""Alarm rules (metric, operator, threshold; one device or all) and the events they raise and clear."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from alarms.models import AlarmEvent, AlarmRule
from alarms.services import alarm_rule_create, alarm_rule_delete, alarm_rule_update
from meters.api.fields import MetricField
from meters.models import Device
from pieng.api.params import AwareDateTimeField, IdField, NumberField, query_validate
from pieng.api.tenancy import ClientScopedView


class AlarmRuleSerializer(serializers.ModelSerializer):
    metric = MetricField()
    threshold = NumberField()
    device_id = serializers.PrimaryKeyRelatedField(
        source="device",
        queryset=Device.objects.all(),
        allow_null=True,
        required=False,
        help_text="The device the rule watches; null: every device of the client.",
    )

    class Meta:
        model = AlarmRule
        fields = ["id", "name", "metric", "operator", "threshold", "device_id", "active", "created_at"]


class AlarmRuleFilterQuery(serializers.Serializer):
    device_id = IdField(required=False)
    metric = MetricField(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class AlarmEventSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.__str__", read_only=True, help_text="The rule's name or text.")

    class Meta:
        model = AlarmEvent
        fields = ["id", "rule_id", "rule", "device_id", "metric", "value", "ts", "kind"]


class AlarmEventFilterQuery(serializers.Serializer):
    device_id = IdField(required=False)
    rule_id = IdField(required=False)
    kind = serializers.ChoiceField(choices=AlarmEvent.Kind.choices, required=False)
    since = AwareDateTimeField(required=False, help_text="Events at or after this time.")


def _filters(query_class: type[serializers.Serializer], request, lookups: dict[str, str]) -> dict:
    query = query_validate(query_class, request)
    return {lookups.get(name, name): value for name, value in query.items() if value is not None}


@extend_schema(tags=["alarms"])
class AlarmRuleListView(ClientScopedView, generics.ListCreateAPIView):
    serializer_class = AlarmRuleSerializer

    def get_queryset(self):
        return AlarmRule.objects.filter(**_filters(AlarmRuleFilterQuery, self.request, {}))

    @extend_schema(parameters=[AlarmRuleFilterQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        serializer.instance = alarm_rule_create(fields=serializer.validated_data)


@extend_schema(tags=["alarms"])
class AlarmRuleDetailView(ClientScopedView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = AlarmRuleSerializer
    queryset = AlarmRule.objects.all()
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update(self, serializer) -> None:
        serializer.instance = alarm_rule_update(rule=serializer.instance, fields=serializer.validated_data)

    def perform_destroy(self, rule: AlarmRule) -> None:
        alarm_rule_delete(rule=rule)


@extend_schema(tags=["alarms"], parameters=[AlarmEventFilterQuery])
class AlarmEventListView(ClientScopedView, generics.ListAPIView):
    """Raised and cleared events, newest first."""

    serializer_class = AlarmEventSerializer

    def get_queryset(self):
        filters = _filters(AlarmEventFilterQuery, self.request, {"since": "ts__gte"})
        return AlarmEvent.objects.filter(**filters).select_related("rule")
