import zoneinfo

from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tenants.current import request_client


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
