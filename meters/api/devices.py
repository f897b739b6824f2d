"""Devices: the original device JSON, plus status; read a meter now; its ingest token; its latest values."""

import kombu.exceptions
import redis
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response

from meters.config import ConfigError, config_masked, config_secrets_kept, device_config_clean
from meters.models import Device
from meters.polling.poll import PollStatus, device_poll
from meters.polling.remote import device_poll_on_collector
from meters.readings.series import readings_latest
from meters.services import (
    device_create,
    device_ingest_token_revoke,
    device_ingest_token_rotate,
    device_update,
)
from pieng.api.params import query_validate
from pieng.api.tenancy import ClientScopedView
from pieng.api.throttles import ReadClientThrottle, ReadDeviceThrottle


def config_merge(*, current: dict, changes: dict) -> dict:
    """PATCH semantics for a config: named keys change, a null removes its key, the rest stays."""
    merged = {**current, **changes}
    return {key: value for key, value in merged.items() if value is not None}


class DeviceSerializer(serializers.ModelSerializer):
    client_id = serializers.SerializerMethodField()
    config = serializers.DictField(
        help_text="Per device type and driver (the original JSON); defaults are filled in. In a PATCH "
        "the keys given replace the stored ones and a null removes one; with a new device_type the config "
        'is taken as given. Secrets (local_key, api_key, api_secret) are write-only: shown as "***"; '
        'sending "***" back, or leaving them out of a PATCH, keeps the stored ones.'
    )
    online = serializers.BooleanField(read_only=True, help_text="A reading within the last 3 poll intervals.")
    status = serializers.ChoiceField(
        choices=Device.Status.choices,
        read_only=True,
        help_text="online; meter offline (no reading within 3 poll intervals); collector offline (no worker "
        "of the device's collector seen for 3 poll intervals: the meter itself may be fine).",
    )
    has_ingest_token = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "id",
            "uuid",
            "client_id",
            "name",
            "device_type",
            "active",
            "config",
            "role",
            "nominal_voltage",
            "collector",
            "created_at",
            "last_reading_at",
            "last_attempt_at",
            "last_error",
            "consecutive_failures",
            "online",
            "status",
            "has_ingest_token",
            "mirror",
        ]
        read_only_fields = [
            "uuid",
            "mirror",
            "created_at",
            "last_reading_at",
            "last_attempt_at",
            "last_error",
            "consecutive_failures",
        ]

    def get_client_id(self, device: Device) -> int:
        return self.context["client"].pk

    def get_has_ingest_token(self, device: Device) -> bool:
        return bool(device.ingest_token_hash)

    def to_representation(self, device: Device) -> dict:
        return {**super().to_representation(device), "config": config_masked(device.config)}

    def validate(self, attrs: dict) -> dict:
        device = self.instance
        device_type = attrs.get("device_type", device.device_type if device else None)
        config = attrs.get("config", device.config if device else {})
        same_type = device is not None and device_type == device.device_type
        if "config" in attrs:
            stored = device.config if same_type else {}
            config = config_secrets_kept(current=stored, changes=attrs["config"])
            if same_type:
                config = config_merge(current=device.config, changes=config)
        try:
            attrs["config"] = device_config_clean(device_type=device_type, config=config)
        except ConfigError as error:
            raise serializers.ValidationError(
                {"config": {field: [message] for field, message in error.errors.items()}}
            ) from error
        return attrs


class DeviceCreatedSerializer(DeviceSerializer):
    ingest_token = serializers.CharField(
        read_only=True, help_text="Shown this once: the device's token for POST /api/ingest."
    )

    class Meta(DeviceSerializer.Meta):
        fields = [*DeviceSerializer.Meta.fields, "ingest_token"]


class DeviceFilterQuery(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    device_type = serializers.ChoiceField(choices=Device.DeviceType.choices, required=False)
    role = serializers.ChoiceField(choices=Device.Role.choices, required=False)


class DeviceView(ClientScopedView):
    serializer_class = DeviceSerializer

    def get_queryset(self):
        return Device.objects.all()

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "client": self.client}


@extend_schema(tags=["devices"])
class DeviceListView(DeviceView, generics.ListCreateAPIView):
    @extend_schema(parameters=[DeviceFilterQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = query_validate(DeviceFilterQuery, self.request)
        return Device.objects.filter(**{name: value for name, value in query.items() if value is not None})

    @extend_schema(responses={201: DeviceCreatedSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device, token = device_create(fields=serializer.validated_data)
        body = {**self.get_serializer(device).data, "ingest_token": token}
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["devices"])
class DeviceDetailView(DeviceView, generics.RetrieveUpdateDestroyAPIView):
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update(self, serializer):
        device_update(device=serializer.instance, fields=serializer.validated_data)


ReadingSerializer = inline_serializer(
    "Reading",
    {
        "device_id": serializers.IntegerField(),
        "ts": serializers.DateTimeField(allow_null=True),
        "metrics": serializers.DictField(child=serializers.FloatField()),
    },
)


class MeterFailed(APIException):
    """The meter did not answer as it should; `detail` is the pipeline's one-line cause."""

    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "meter_error"


class MeterTimedOut(MeterFailed):
    """The meter (or its gateway) did not answer within the device's timeout."""

    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_code = "meter_timeout"


class PollRunning(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A poll of this device is still running; try again."
    default_code = "poll_running"


class BusBusy(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The device's bus stayed busy with other reads; try again."
    default_code = "bus_busy"


class LocksUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "locks_unavailable"


class CollectorOffline(APIException):
    """The device's meter is reached only by its collector, which runs no worker now."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "collector_offline"


class CollectorSilent(APIException):
    """The collector took the read but did not answer in time."""

    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_code = "collector_silent"


# What a forced poll that stored nothing answers. (A forced poll never backs off.)
POLL_REFUSALS = {
    PollStatus.FAILED: MeterFailed,
    PollStatus.TIMED_OUT: MeterTimedOut,
    PollStatus.ALREADY_POLLING: PollRunning,
    PollStatus.BUS_BUSY: BusBusy,
    PollStatus.NOT_POLLED: NotFound,
    PollStatus.COLLECTOR_OFFLINE: CollectorOffline,
    PollStatus.COLLECTOR_SILENT: CollectorSilent,
}


@extend_schema(tags=["devices"])
class DeviceReadView(DeviceView):
    """Read the meter now (a forced poll: it waits its turn on the device's bus), store the reading and
    return it. A meter that fails is a 502 (504 when it does not answer) whose `detail` is the one-line
    cause, recorded on the device as a scheduled poll's would be; 409 or 503 when a running poll or a busy
    bus kept it from its turn; 429 past the client's rate of reads (per device and per client); 503 when
    Redis, which keeps reads of one bus apart, is unreachable. A device with a collector is read by a worker
    of that collector (its meter is wired to the collector's machine): 503 when the collector is offline,
    504 when it does not answer in time."""

    api_refusals = ("409", "429", "502", "503", "504")
    throttle_classes = [ReadDeviceThrottle, ReadClientThrottle]

    @extend_schema(request=None, responses={200: ReadingSerializer})
    def post(self, request, pk: int):
        device = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            if device.collector:
                outcome = device_poll_on_collector(device=device)
            else:
                outcome = device_poll(device=device, force=True)
        except (redis.RedisError, kombu.exceptions.OperationalError) as error:
            # Reading without the bus lock could talk over a scheduled poll on the same wire.
            raise LocksUnavailable(
                f"Redis (bus and device locks) unreachable, meter not read: {type(error).__name__}"
            ) from None
        if outcome.status != PollStatus.STORED:
            refusal = POLL_REFUSALS[outcome.status]
            raise refusal(outcome.error or None)
        return Response({"device_id": pk, "ts": outcome.ts, "metrics": outcome.metrics})


@extend_schema(tags=["devices"])
class DeviceLatestView(DeviceView):
    """The device's most recent reading (ts null and no metrics before its first)."""

    @extend_schema(responses={200: ReadingSerializer})
    def get(self, request, pk: int):
        device = get_object_or_404(self.get_queryset(), pk=pk)
        ts, metrics = readings_latest(device_ids=[device.pk]).get(device.pk, (None, {}))
        return Response({"device_id": device.pk, "ts": ts, "metrics": metrics})


DeviceTokenSerializer = inline_serializer(
    "DeviceToken", {"device_id": serializers.IntegerField(), "ingest_token": serializers.CharField()}
)


@extend_schema(tags=["devices"])
class DeviceTokenView(DeviceView):
    """POST: a new ingest token (shown once; the old one stops working). DELETE: the device has none."""

    @extend_schema(request=None, responses={201: DeviceTokenSerializer})
    def post(self, request, pk: int):
        device = get_object_or_404(self.get_queryset(), pk=pk)
        token = device_ingest_token_rotate(device=device)
        return Response({"device_id": device.pk, "ingest_token": token}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        device_ingest_token_revoke(device=get_object_or_404(self.get_queryset(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
