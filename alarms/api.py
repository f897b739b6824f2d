"""Alarm rules (threshold, offline, control; one device or all), the events they raise and clear, and
their acknowledgement."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from alarms.models import AlarmEvent, AlarmRule, Severity
from alarms.services import alarm_event_acknowledge, alarm_rule_create, alarm_rule_delete, alarm_rule_update
from meters.api.fields import MetricField
from meters.models import Device
from pieng.api.params import AwareDateTimeField, IdField, NumberField, query_validate
from pieng.api.tenancy import ClientScopedView

MAX_DURATION_S = 7 * 24 * 3600
MAX_BASELINE_DAYS = 90


class AlarmRuleSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AlarmRule.Kind.choices, default=AlarmRule.Kind.THRESHOLD)
    metric = MetricField(required=False, allow_blank=True)
    operator = serializers.ChoiceField(choices=AlarmRule.Operator.choices, required=False, allow_blank=True)
    threshold = NumberField(required=False, allow_null=True)
    duration_s = serializers.IntegerField(
        min_value=0, max_value=MAX_DURATION_S, default=0, help_text="How long the condition must hold (s)."
    )
    hysteresis = NumberField(
        min_value=0, max_value=1e12, default=0.0, help_text="How far back past the threshold a value clears."
    )
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.WARNING)
    baseline_days = serializers.IntegerField(min_value=1, max_value=MAX_BASELINE_DAYS, default=7)
    device_id = serializers.PrimaryKeyRelatedField(
        source="device",
        queryset=Device.objects.all(),
        allow_null=True,
        required=False,
        help_text="The device the rule watches; null: every device of the client.",
    )

    class Meta:
        model = AlarmRule
        fields = [
            "id",
            "name",
            "kind",
            "metric",
            "operator",
            "threshold",
            "duration_s",
            "hysteresis",
            "severity",
            "baseline_days",
            "ucl",
            "lcl",
            "limits_computed_at",
            "device_id",
            "active",
            "created_at",
        ]
        read_only_fields = ["ucl", "lcl", "limits_computed_at"]

    def create(self, validated_data: dict) -> AlarmRule:
        return self._errors_named(lambda: alarm_rule_create(fields=validated_data))

    def update(self, instance: AlarmRule, validated_data: dict) -> AlarmRule:
        return self._errors_named(lambda: alarm_rule_update(rule=instance, fields=validated_data))

    @staticmethod
    def _errors_named(write):
        """The model names the device `device`; the API calls it `device_id`."""
        try:
            return write()
        except DjangoValidationError as error:
            errors = as_serializer_error(error)
            if "device" in errors:
                errors["device_id"] = errors.pop("device")
            raise serializers.ValidationError(errors) from error


class AlarmRuleFilterQuery(serializers.Serializer):
    device_id = IdField(required=False)
    metric = MetricField(required=False)
    kind = serializers.ChoiceField(choices=AlarmRule.Kind.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class AlarmEventSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.__str__", read_only=True, help_text="The rule's name or text.")
    active = serializers.BooleanField(
        source="is_active", read_only=True, help_text="Raised, not yet cleared."
    )

    class Meta:
        model = AlarmEvent
        fields = [
            "id",
            "rule_id",
            "rule",
            "device_id",
            "metric",
            "value",
            "threshold",
            "ts",
            "kind",
            "severity",
            "active",
            "cleared_at",
            "acknowledged_at",
            "acknowledged_by",
            "note",
        ]


class AlarmEventFilterQuery(serializers.Serializer):
    device_id = IdField(required=False)
    rule_id = IdField(required=False)
    kind = serializers.ChoiceField(choices=AlarmEvent.Kind.choices, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: raised events not yet cleared."
    )
    since = AwareDateTimeField(required=False, help_text="Events at or after this time.")


class AcknowledgeBody(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


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


@extend_schema(tags=["alarms"])
class AlarmRuleDetailView(ClientScopedView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = AlarmRuleSerializer
    queryset = AlarmRule.objects.all()
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_destroy(self, instance: AlarmRule) -> None:
        alarm_rule_delete(rule=instance)


@extend_schema(tags=["alarms"], parameters=[AlarmEventFilterQuery])
class AlarmEventListView(ClientScopedView, generics.ListAPIView):
    """Raised and cleared events, newest first; `active=true`: the alarms that are up now."""

    serializer_class = AlarmEventSerializer

    def get_queryset(self):
        filters = _filters(AlarmEventFilterQuery, self.request, {"since": "ts__gte"})
        active = filters.pop("active", None)
        events = AlarmEvent.objects.filter(**filters).select_related("rule")
        if active is True:
            return events.filter(kind=AlarmEvent.Kind.RAISED, cleared_at=None)
        if active is False:
            return events.exclude(kind=AlarmEvent.Kind.RAISED, cleared_at=None)
        return events


@extend_schema(tags=["alarms"], request=AcknowledgeBody, responses=AlarmEventSerializer)
class AlarmEventAcknowledgeView(ClientScopedView, generics.GenericAPIView):
    """Acknowledge a raised event: who saw it, when, an optional note. It stays active until it clears."""

    queryset = AlarmEvent.objects.select_related("rule")
    serializer_class = AlarmEventSerializer

    def post(self, request, pk: int):
        event = self.get_object()
        body = AcknowledgeBody(data=request.data)
        body.is_valid(raise_exception=True)
        if event.kind != AlarmEvent.Kind.RAISED:
            raise serializers.ValidationError({"id": ["Only a raised event can be acknowledged."]})
        event = alarm_event_acknowledge(
            event=event, username=request.user.get_username(), note=body.validated_data["note"]
        )
        return Response(AlarmEventSerializer(event).data)
