"""Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] ("token", "ingest", "read_device",
"read_client"), read at each request so
that a settings change (or a test's override) applies at once. Counts live in the default cache: per
process with the local-memory cache, shared between workers with a shared one (Redis).

A throttle whose cache is unreachable lets the request through and logs it (fails open): with Redis
down, meters keep pushing readings and users keep signing in; only the counting stops.
"""

import logging

import redis
from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str:
    """Who is calling, by address: REMOTE_ADDR, or X-Forwarded-For's entry NUM_PROXIES from the right.
    Throttles and login lockouts (django-axes) both count by it."""
    return BaseThrottle().get_ident(request)


log = logging.getLogger(__name__)


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except (redis.RedisError, OSError) as error:
            log.warning("throttle %r not applied: its cache is unreachable (%s)", self.scope, error)
            return True


class TokenThrottle(_SettingsRateThrottle):
    """Password guessing: counted per client address."""

    scope = "token"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class IngestThrottle(_SettingsRateThrottle):
    """Counted per device token, else per user, else per address."""

    scope = "ingest"

    def get_cache_key(self, request, view) -> str:
        device_id = getattr(request.user, "device_id", None)
        if device_id is not None:
            ident = f"device:{connection.schema_name}:{device_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReadDeviceThrottle(_SettingsRateThrottle):
    """Reads of one meter now (`POST /devices/{id}/read`): each holds the meter's bus."""

    scope = "read_device"

    def get_cache_key(self, request, view) -> str:
        ident = f"{view.client.schema_name}:{view.kwargs['pk']}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReadClientThrottle(_SettingsRateThrottle):
    """Reads now of all of one client's meters: one client cannot keep the workers' buses to itself."""

    scope = "read_client"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": view.client.schema_name}


class PublicPageThrottle(_SettingsRateThrottle):
    """Public dashboards (no sign-in): counted per client address."""

    scope = "public"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
