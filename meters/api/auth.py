"""Per-device ingest tokens as an API login: `Authorization: Bearer pdt_...` on the device's client domain."""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from meters.models import Device
from meters.services import DEVICE_TOKEN_PREFIX, device_token_hash
from tenants.current import request_client


@dataclass(frozen=True)
class DevicePrincipal:
    """Who a request with a device token is: that device, on its client's domain, for ingestion only."""

    device_id: int
    is_authenticated: bool = True
    is_active: bool = True

    def can_reach(self, tenant) -> bool:
        # Its token was found in this domain's schema; a suspended client's devices push nothing.
        return tenant is not None and tenant.active


class DeviceTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer pdt_...`: a device's ingest token, on its client's domain.

    Bearer values without the prefix are left to JWT authentication.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if (
            len(parts) != 2
            or parts[0].lower() != b"bearer"
            or not parts[1].startswith(DEVICE_TOKEN_PREFIX.encode())
        ):
            return None
        if request_client(request) is None:
            raise AuthenticationFailed("Device tokens work on their client's domain only.")
        token = parts[1].decode("ascii", errors="replace")
        device_id = (
            Device.objects.filter(ingest_token_hash=device_token_hash(token))
            .values_list("pk", flat=True)
            .first()
        )
        if device_id is None:
            raise AuthenticationFailed("Unknown or revoked device token.")
        return DevicePrincipal(device_id=device_id), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "meters.api.auth.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A device's ingest token (`pdt_...`), shown once when the device is created or "
            "its token rotated; valid for POST /api/ingest of that device only, on its client's domain.",
        }
