"""GET <API_PREFIX>/health: is this process able to reach its database and Redis?

Load balancers and container probes ask by IP, with whatever Host header they like, and ask precisely
when something is down. So the health answer comes from `HealthMiddleware`, first in the chain: before
the host is checked against ALLOWED_HOSTS and before the tenant middleware looks the domain up in the
database (which would turn a database outage into an HTML 500).
"""

import redis
from django.conf import settings
from django.db import connection
from django.dispatch import Signal
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_GET

# Sent when the database answers: a receiver returns (section name, JSON-able value) to add to the answer,
# or None (forwarding adds its backlog).
health_sections = Signal()


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 - health reports any failure as text, never raises
        # A broken connection must not be reused by the next request of this thread.
        connection.close_if_unusable_or_obsolete()
        return f"error: {error.__class__.__name__}"


def broker_status() -> str:
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
        return "ok"
    except Exception as error:  # noqa: BLE001
        return f"error: {error.__class__.__name__}"


def health_answer() -> JsonResponse:
    body = {"status": "ok", "database": database_status(), "broker": broker_status()}
    if body["database"] != "ok" or body["broker"] != "ok":
        body["status"] = "degraded"
    if body["database"] == "ok":
        for _receiver, section in health_sections.send(sender=None):
            if section is not None:
                body[section[0]] = section[1]
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


class HealthMiddleware:
    """Answers the health path on any host, without touching the tenant tables."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = f"/{settings.API_PREFIX}/health"

    def __call__(self, request):
        if request.path_info.rstrip("/") != self.path:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return health_answer()


@require_GET
def platform_home(request):
    """The platform domain's root: the back-office for a browser; the health JSON for a client that asks
    for JSON, as the original platform's health check did."""
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        return health_answer()
    return HttpResponseRedirect("/admin/")
