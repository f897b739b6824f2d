import logging
import zoneinfo

from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils import timezone
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.current import request_client

log = logging.getLogger(__name__)

# What a lost or refused database connection raises; other database errors are bugs (500).
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)
DATABASE_UNAVAILABLE = "The database is unavailable; try again in a few seconds."
RETRY_AFTER = {"Retry-After": "5"}


class ClientDomainMiddleware(TenantMainMiddleware):
    """django-tenants' domain lookup, answering a JSON 503 (not an HTML 500) while the database is down:
    meters pushing readings retry on a 503."""

    def process_request(self, request):
        try:
            return super().process_request(request)
        except DATABASE_DOWN_ERRORS as error:
            log.warning("database unavailable for %s: %s", request.path, type(error).__name__)
            return JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503, headers=RETRY_AFTER)


class ClientMembershipMiddleware:
    """A signed-in user on a domain they may not reach is signed out there, as if they had never logged in.

    JWT requests are authenticated later, inside DRF; `pieng.api.permissions` applies the same rule there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.can_reach(request_client(request)):
            logout(request)
            request.user = AnonymousUser()
        return self.get_response(request)


class ClientTimeZoneMiddleware:
    """Times are stored in UTC and shown in the client's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        client = request_client(request)
        if client is None:
            timezone.deactivate()
        else:
            timezone.activate(zoneinfo.ZoneInfo(client.time_zone))
        return self.get_response(request)
