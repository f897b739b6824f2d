"""Summary, trend and export read every reading of their range: without one they read the last 30 days,
and a range longer than the endpoint's span (366 days) is refused naming the field that reaches too far."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.helpers.devices import readings_store

ENDPOINTS = [
    ("/api/metrics/summary", {"metric": "power"}),
    ("/api/metrics/linreg", {"metric": "power"}),
    ("/api/export", {"format": "csv"}),
]


@pytest.mark.parametrize(("path", "extra"), ENDPOINTS)
def test_a_range_over_the_endpoints_span_is_refused_naming_the_field(acme_api, acme_device, path, extra):
    query = {
        "device_id": acme_device.pk,
        **extra,
        "start": "2023-01-01T00:00:00Z",
        "end": "2025-01-01T00:00:00Z",
    }

    response = acme_api.get(path, query)

    assert response.status_code == 400
    assert "At most 366 days" in response.json()["end"][0]


@pytest.mark.parametrize(("path", "extra"), ENDPOINTS)
def test_a_start_too_far_back_with_no_end_is_refused_naming_start(acme_api, acme_device, path, extra):
    response = acme_api.get(path, {"device_id": acme_device.pk, **extra, "start": "2020-01-01T00:00:00Z"})

    assert response.status_code == 400
    assert "start" in response.json()


def test_without_a_range_a_summary_reads_the_last_30_days(acme_api, acme, acme_device):
    now = timezone.now()
    readings_store(
        acme,
        acme_device,
        [(now - timedelta(days=40), {"power": 1000.0}), (now - timedelta(days=2), {"power": 5.0})],
    )

    body = acme_api.get("/api/metrics/summary", {"device_id": acme_device.pk, "metric": "power"}).json()

    assert (body["count"], body["mean"]) == (1, 5.0)
