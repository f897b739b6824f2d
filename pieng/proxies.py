"""A platform behind a reverse proxy must say how many (NUM_PROXIES): otherwise every caller has the
proxy's address, and the API throttles and login lockouts, which count per address, would throttle and
lock out everyone at once. Unset, X-Forwarded-For is not believed (it is the caller's to forge), and this
says so in the log: at start when the settings already tell of a proxy (SECURE_PROXY_SSL_HEADER), else
at the first request that came through one."""

import logging

from django.conf import settings

log = logging.getLogger("pieng.proxies")
WARNING = (
    "%s but NUM_PROXIES is unset: throttles and login lockouts count every caller as the proxy's "
    "address. Set NUM_PROXIES to the number of proxies in front of the platform."
)


class ProxyWarningMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.warned = settings.NUM_PROXIES_SET
        if not self.warned and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
            log.warning(WARNING, "SECURE_PROXY_SSL_HEADER is set (behind a proxy)")
            self.warned = True

    def __call__(self, request):
        if not self.warned and "HTTP_X_FORWARDED_FOR" in request.META:
            log.warning(WARNING, "Requests come through a proxy (X-Forwarded-For)")
            self.warned = True
        return self.get_response(request)
