import logging
import zoneinfo

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseNotFound, JsonResponse
from django.shortcuts import render
from django.urls import reverse
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


class SuspendedClientMiddleware:
    """A suspended client's domain (Client.active off) is off: its root shows a short "account suspended"
    page (in the visitor's language: the page's language switch works) and every other path, the API,
    admin and login included, is a 404, before any session or token is looked at. `User.can_reach`
    refuses the client's users as well, wherever they turn up."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.api_path = f"/{settings.API_PREFIX}/" if settings.API_PREFIX else "/"
        self.language_path = reverse("set_language")

    def __call__(self, request):
        client = request_client(request)
        if client is None or client.active:
            return self.get_response(request)
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            return render(request, "tenants/suspended.html", status=403)
        if request.path_info == self.language_path:
            return self.get_response(request)
        if request.path_info.startswith(self.api_path):
            return JsonResponse({"detail": "Not found."}, status=404)
        return HttpResponseNotFound()


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
