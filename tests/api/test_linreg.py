from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.devices import readings_store

START = datetime(2025, 3, 1, tzinfo=UTC)


def test_a_linear_series_gives_its_slope_intercept_and_forecast(acme_api, acme, acme_device):
    readings_store(
        acme, acme_device, [(START + timedelta(hours=n), {"power": 100.0 + 5 * n}) for n in range(10)]
    )

    query = {"device_id": acme_device.pk, "metric": "power", "horizon_hours": 2, "step_hours": 1}
    query |= {"start": START.isoformat(), "end": (START + timedelta(days=1)).isoformat()}
    body = acme_api.get("/api/metrics/linreg", query).json()

    assert body["n"] == 10
    assert body["t0"] == "2025-02-28T21:00:00-03:00"
    assert body["slope_per_hour"] == pytest.approx(5.0)
    assert body["intercept"] == pytest.approx(100.0)
    assert body["r2"] == pytest.approx(1.0)
    assert [point["value"] for point in body["forecast"]] == pytest.approx([145.0, 150.0, 155.0])
    assert body["forecast"][-1]["ts"] == "2025-03-01T08:00:00-03:00"


def test_a_forecast_of_too_many_steps_is_refused(acme_api, acme_device):
    query = {"device_id": acme_device.pk, "metric": "power", "horizon_hours": 8000, "step_hours": 0.1}

    response = acme_api.get("/api/metrics/linreg", query)

    assert response.status_code == 400
    assert "step_hours" in response.json()


def test_a_negative_horizon_is_refused(acme_api, acme_device):
    response = acme_api.get(
        "/api/metrics/linreg", {"device_id": acme_device.pk, "metric": "power", "horizon_hours": -1}
    )

    assert "horizon_hours" in response.json()
