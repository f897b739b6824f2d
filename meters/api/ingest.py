"""POST /api/ingest: readings pushed by meters, gateways and scripts, through the one write path."""

from datetime import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework_simplejwt.authentication import JWTAuthentication

from meters.api.auth import DeviceTokenAuthentication
from meters.readings.ingest import IngestError, ReadingIn
from meters.services import readings_push
from pieng.api.params import ID_LIMIT, aware_datetime_parse
from pieng.api.tenancy import ClientScopedView
from pieng.api.throttles import IngestThrottle

MAX_READINGS = 10_000
# Far more than any meter reports (an SDM630 gives about 60); a bound on the work one reading can cause.
MAX_METRICS = 256
READING_FIELDS = ("device_id", "ts", "metrics")


def _device_id_check(*, index: int, value, token_device_id: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ID_LIMIT:
        raise IngestError(index=index, field="device_id", message="must be a device id (a whole number)")
    if token_device_id is not None and value != token_device_id:
        raise IngestError(
            index=index,
            field="device_id",
            message=f"this device token is valid for device {token_device_id} only",
        )
    return value


def _ts_parse(*, index: int, value, now: datetime) -> datetime:
    if value is None:
        return now
    if not isinstance(value, str):
        raise IngestError(index=index, field="ts", message="must be an ISO 8601 string with a UTC offset")
    try:
        return aware_datetime_parse(value)
    except ValueError as error:
        raise IngestError(index=index, field="ts", message=str(error)) from None


def ingest_body_parse(*, body, token_device_id: int | None, now: datetime) -> list[ReadingIn]:
    """The readings of a request body: one reading object or a list of them.

    Checks the shape only; readings_ingest checks devices, metric names and values. `device_id` may be left
    out with a device token (it is the token's device); a reading without `ts` is taken at `now`.
    """
    items = body if isinstance(body, list) else [body]
    if len(items) > MAX_READINGS:
        raise ValidationError({"detail": f"At most {MAX_READINGS} readings per request; split the batch."})
    readings = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise IngestError(
                index=index, field="reading", message='must be an object {"device_id", "ts", "metrics"}'
            )
        unknown = [name for name in item if name not in READING_FIELDS]
        if unknown:
            raise IngestError(index=index, field=str(unknown[0]), message="is not a field of a reading")
        if "device_id" not in item and token_device_id is None:
            raise IngestError(index=index, field="device_id", message="is required")
        metrics = item.get("metrics")
        if not isinstance(metrics, dict):
            raise IngestError(
                index=index, field="metrics", message="must be an object of metric name to number"
            )
        if len(metrics) > MAX_METRICS:
            raise IngestError(
                index=index, field="metrics", message=f"at most {MAX_METRICS} metrics per reading"
            )
        readings.append(
            ReadingIn(
                device_id=_device_id_check(
                    index=index, value=item.get("device_id", token_device_id), token_device_id=token_device_id
                ),
                ts=_ts_parse(index=index, value=item.get("ts"), now=now),
                metrics=metrics,
            )
        )
    return readings


READING_SCHEMA = {
    "type": "object",
    "properties": {
        "device_id": {
            "type": "integer",
            "minimum": 1,
            "description": "Required unless sent with the device's own ingest token.",
        },
        "ts": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 with a UTC offset; the server's time if left out.",
        },
        "metrics": {
            "type": "object",
            "additionalProperties": {"type": "number"},
            "maxProperties": MAX_METRICS,
            "description": "Metric name (lower snake case) to number.",
        },
    },
    "required": ["metrics"],
    "additionalProperties": False,
}


@extend_schema(
    tags=["ingest"],
    request={
        "application/json": {
            "oneOf": [READING_SCHEMA, {"type": "array", "items": READING_SCHEMA, "maxItems": MAX_READINGS}]
        }
    },
    responses={201: inline_serializer("IngestAccepted", {"accepted": serializers.IntegerField()})},
    examples=[
        OpenApiExample(
            "One reading",
            request_only=True,
            value={"device_id": 1, "ts": "2025-01-31T14:00:00-03:00", "metrics": {"power": 1520.5}},
        )
    ],
)
class IngestView(ClientScopedView):
    """Store one reading or a list (at most 10,000), all or nothing, then evaluate alarms as for a poll.

    A refused batch stores nothing and answers 400 with `index` and `field` of the first bad reading.
    Authenticated as a user, or with a device's ingest token (`Authorization: Bearer pdt_...`, on the
    client's own domain, for that device only). On the platform domain `client_id` goes in the query string.
    """

    authentication_classes = [DeviceTokenAuthentication, JWTAuthentication, SessionAuthentication]
    throttle_classes = [IngestThrottle]

    def post(self, request):
        body = request.data
        if isinstance(body, dict):
            body = {name: value for name, value in body.items() if name != "client_id"}
        readings = ingest_body_parse(
            body=body, token_device_id=getattr(request.user, "device_id", None), now=timezone.now()
        )
        result = readings_push(readings=readings)
        return Response({"accepted": result.points}, status=status.HTTP_201_CREATED)
