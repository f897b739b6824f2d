"""Request bodies are bounded before anything reads them.

The first middleware: a body whose declared size is over the limit is answered 413 before the tenant
lookup, authentication or any parser, so an anonymous caller cannot make the server buffer and parse
megabytes. Readings pushed to the ingest endpoint may be large batches (INGEST_BODY_MAX_BYTES), and so
are a master's forwarded batches (FORWARD_BODY_MAX_BYTES); every other request is a form or a small JSON
object (REQUEST_BODY_MAX_BYTES). A body without a declared size
(chunked) is read by Django as empty, so it cannot get around the check.
"""

from django.conf import settings
from django.http import JsonResponse


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        large = {"ingest": "INGEST_BODY_MAX_BYTES", "forward": "FORWARD_BODY_MAX_BYTES"}
        self.limits = {
            "/" + "/".join(part for part in (settings.API_PREFIX, endpoint) if part): setting
            for endpoint, setting in large.items()
        }

    def __call__(self, request):
        setting = self.limits.get(request.path_info.rstrip("/"), "REQUEST_BODY_MAX_BYTES")
        limit = getattr(settings, setting)
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "The Content-Length header is not a number."}, status=400)
        if size > limit:
            return JsonResponse(
                {"detail": f"The request body is {size} bytes; at most {limit} are accepted here."},
                status=413,
            )
        return self.get_response(request)
