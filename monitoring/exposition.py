"""GET /metrics: who may read it, and the text it answers."""

import hmac
import os

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess

from monitoring.collectors import DevicesCollector, OutboxCollector


class _ThisProcess:
    """The default registry's metrics, for a single process (no PROMETHEUS_MULTIPROC_DIR)."""

    def collect(self):
        return REGISTRY.collect()


def metrics_token_accepts(authorization: str) -> bool | None:
    """None: no credentials given; False: wrong ones (or no METRICS_TOKEN set); True: the token."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    expected = settings.METRICS_TOKEN
    return bool(expected) and hmac.compare_digest(token.strip().encode(), expected.encode())


def metrics_text() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(DevicesCollector())
    registry.register(OutboxCollector())
    return generate_latest(registry)
