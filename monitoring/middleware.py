from django.http import HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST

from monitoring.exposition import metrics_text, metrics_token_accepts

METRICS_PATH = "/metrics"


class MetricsEndpointMiddleware:
    """Answers GET /metrics on any host (Prometheus scrapes an address, not a client's domain), before
    the tenant lookup; every other request goes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != METRICS_PATH:
            return self.get_response(request)
        if request.method != "GET":
            return JsonResponse({"detail": "Method not allowed."}, status=405, headers={"Allow": "GET"})
        accepted = metrics_token_accepts(request.headers.get("Authorization", ""))
        if accepted is None:
            return JsonResponse(
                {"detail": "Send Authorization: Bearer <METRICS_TOKEN>."},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        if not accepted:
            return JsonResponse({"detail": "Wrong metrics token."}, status=403)
        return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
