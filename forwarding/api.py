"""On the slave: links for platform staff (`/api/links`), and the forward endpoint a master posts to with
a link's token (`POST /api/forward`, docs/forwarding.md)."""

import io
import uuid
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import (
    AuthenticationFailed,
    NotFound,
    ParseError,
    UnsupportedMediaType,
    ValidationError,
)
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from forwarding.models import Link
from forwarding.services import (
    MirrorClientIn,
    MirrorDeviceIn,
    forward_store,
    link_create,
    link_for_token,
    link_revoke,
)
from meters.models import Device
from pieng.api.errors import BodyTooLarge
from pieng.api.params import aware_datetime_parse
from pieng.api.parsers import BulkJSONParser
from tenants.api import PlatformView
from tenants.current import request_client
from tenants.models import slug_validator, validate_time_zone


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Link
        fields = ["id", "name", "created_at", "revoked_at", "last_forward_at"]
        read_only_fields = ["created_at", "revoked_at", "last_forward_at"]


class LinkCreatedSerializer(LinkSerializer):
    token = serializers.CharField(
        read_only=True, help_text="Shown once: set it as the master's FORWARDER_TOKEN."
    )

    class Meta(LinkSerializer.Meta):
        fields = [*LinkSerializer.Meta.fields, "token"]


@extend_schema(tags=["forwarding"])
class LinkListView(PlatformView, generics.ListCreateAPIView):
    """Links: masters allowed to forward readings here. Creating one shows its `pml_` token once."""

    serializer_class = LinkSerializer

    def get_queryset(self):
        return Link.objects.all()

    @extend_schema(responses={201: LinkCreatedSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link, token = link_create(name=serializer.validated_data["name"])
        link.token = token
        return Response(LinkCreatedSerializer(link).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["forwarding"])
class LinkDetailView(PlatformView, generics.RetrieveDestroyAPIView):
    """DELETE revokes the link: forwards with its token get 401; its mirror clients stay."""

    serializer_class = LinkSerializer

    def get_queryset(self):
        return Link.objects.all()

    def perform_destroy(self, link: Link) -> None:
        link_revoke(link=link)


@dataclass(frozen=True)
class LinkPrincipal:
    """Who a request with a link token is: a master, for the forward endpoint only."""

    link: Link
    is_authenticated: bool = True
    is_active: bool = True


class LinkTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != b"bearer":
            return None
        link = link_for_token(token=parts[1].decode("ascii", errors="replace"))
        if link is None:
            raise AuthenticationFailed("Unknown or revoked link token.")
        return LinkPrincipal(link=link), None

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="forward"'


class IsLink(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, LinkPrincipal)


class ForwardBodyParser(BulkJSONParser):
    """JSON, gzipped or not (`Content-Encoding: gzip`, as masters send it). The inflated body is bounded
    like a plain one (FORWARD_BODY_MAX_BYTES), so a small gzip cannot make the server hold gigabytes."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        encoding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower() if request else ""
        if encoding in ("", "identity") or stream is None:
            return super().parse(stream, media_type, parser_context)
        if encoding != "gzip":
            raise UnsupportedMediaType(media_type, detail=f"Content-Encoding {encoding!r}: gzip or none.")
        return super().parse(io.BytesIO(_gunzip(stream.read())), media_type, parser_context)


def _gunzip(body: bytes) -> bytes:
    limit = settings.FORWARD_BODY_MAX_BYTES
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise ParseError(f"The gzip body is corrupt: {error}.") from error
    if len(data) > limit:
        raise BodyTooLarge(detail=f"The inflated request body is over {limit} bytes; send smaller batches.")
    if not inflater.eof:
        raise ParseError("The gzip body is truncated.")
    return data


DEVICE_TYPES = set(Device.DeviceType.values)
ROLES = set(Device.Role.values)
NOMINAL_VOLTAGES = set(Device.NominalVoltage.values)


# Master to slave only, on the platform domain with a link token: described in docs/forwarding.md, not in
# the client-facing OpenAPI document.
@extend_schema(exclude=True)
class ForwardView(APIView):
    """A master's batch: `{"clients": [{"slug", "name", "time_zone", "devices": [{"uuid", "name",
    "device_type", "role", "nominal_voltage", "readings": [{"ts", "metrics"}]}], "deleted_devices": [uuid]}]}`
    (`deleted_devices` optional), with
    `Authorization: Bearer pml_...` (a link's token), on the platform domain.

    Stored in one transaction, per client in its own schema; mirror clients and devices are created on
    first sight and follow renames. A client this link may not feed is answered `refused` with the reason
    and left out; the rest is stored. A malformed batch is a 400 naming the field, and nothing is stored.
    """

    authentication_classes = [LinkTokenAuthentication]
    permission_classes = [IsLink]
    parser_classes = [ForwardBodyParser]
    api_refusals = ("400", "401", "404")

    def initial(self, request, *args, **kwargs):
        if request_client(request) is not None:
            raise NotFound()
        super().initial(request, *args, **kwargs)

    def post(self, request):
        clients = forward_body_parse(request.data)
        results = forward_store(link=request.user.link, clients=clients)
        return Response({"clients": results})


def forward_body_parse(body) -> list[MirrorClientIn]:
    """The clients of a forward body, checked field by field; a ValidationError names the first bad one
    by its path (e.g. `clients[0].devices[2].uuid`). Metric names and values are checked by ingest."""
    clients = _list(body.get("clients") if isinstance(body, dict) else None, path="clients")
    total = 0
    parsed = []
    for c, client in enumerate(clients):
        path = f"clients[{c}]"
        client = _object(client, path=path)
        devices = []
        for d, device in enumerate(_list(client.get("devices"), path=f"{path}.devices")):
            device_path = f"{path}.devices[{d}]"
            device = _object(device, path=device_path)
            readings = _list(device.get("readings"), path=f"{device_path}.readings")
            total += len(readings)
            devices.append(
                MirrorDeviceIn(
                    uuid=_uuid(device.get("uuid"), path=f"{device_path}.uuid"),
                    name=_text(device.get("name"), path=f"{device_path}.name", max_length=120),
                    device_type=_choice(
                        device.get("device_type"), DEVICE_TYPES, path=f"{device_path}.device_type"
                    ),
                    role=_choice(device.get("role"), ROLES, path=f"{device_path}.role"),
                    nominal_voltage=_choice(
                        device.get("nominal_voltage"), NOMINAL_VOLTAGES, path=f"{device_path}.nominal_voltage"
                    ),
                    readings=[
                        _reading(reading, path=f"{device_path}.readings[{r}]")
                        for r, reading in enumerate(readings)
                    ],
                )
            )
        parsed.append(
            MirrorClientIn(
                slug=_validated(client.get("slug"), slug_validator, path=f"{path}.slug"),
                name=_text(client.get("name"), path=f"{path}.name", max_length=120),
                time_zone=_validated(client.get("time_zone"), validate_time_zone, path=f"{path}.time_zone"),
                devices=devices,
                deleted_devices=[
                    _uuid(value, path=f"{path}.deleted_devices[{n}]")
                    for n, value in enumerate(
                        _list(client.get("deleted_devices", []), path=f"{path}.deleted_devices")
                    )
                ],
            )
        )
    if total > settings.FORWARD_MAX_READINGS:
        raise ValidationError({"clients": f"At most {settings.FORWARD_MAX_READINGS} readings per batch."})
    if len({client.slug for client in parsed}) != len(parsed):
        raise ValidationError({"clients": "Each client at most once per batch."})
    return parsed


def _refuse(path: str, message: str):
    raise ValidationError({path: message})


def _list(value, *, path: str) -> list:
    if not isinstance(value, list):
        _refuse(path, "must be a list")
    return value


def _object(value, *, path: str) -> dict:
    if not isinstance(value, dict):
        _refuse(path, "must be an object")
    return value


def _text(value, *, path: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        _refuse(path, f"must be a text of 1 to {max_length} characters")
    return value


def _choice(value, choices: set, *, path: str):
    if isinstance(value, bool) or value not in choices:
        _refuse(path, f"must be one of {sorted(choices)}")
    return value


def _uuid(value, *, path: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        _refuse(path, "must be a UUID")


def _validated(value, validator, *, path: str) -> str:
    if not isinstance(value, str):
        _refuse(path, "must be a text")
    try:
        validator(value)
    except DjangoValidationError as error:
        _refuse(path, " ".join(error.messages))
    return value


def _reading(value, *, path: str) -> tuple:
    value = _object(value, path=path)
    if not isinstance(value.get("ts"), str):
        _refuse(f"{path}.ts", "must be an ISO 8601 time with a UTC offset")
    try:
        ts = aware_datetime_parse(value["ts"])
    except ValueError as error:
        _refuse(f"{path}.ts", str(error))
    return ts, _object(value.get("metrics"), path=f"{path}.metrics")
