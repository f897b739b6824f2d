from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.devices import device_add, readings_store

START = datetime(2025, 3, 1, tzinfo=UTC)
# The readings' day: without a range, the endpoint reads the last 30 days only.
MARCH_1 = {"start": START.isoformat(), "end": (START + timedelta(days=1)).isoformat()}


def store_values(client, device, metric: str, values: list[float]) -> None:
    readings_store(
        client, device, [(START + timedelta(minutes=n), {metric: v}) for n, v in enumerate(values)]
    )


def test_a_summary_has_the_statistics_of_the_series(acme_api, acme, acme_device):
    store_values(acme, acme_device, "power", [1.0, 2.0, 3.0, 4.0, 5.0])

    body = acme_api.get(
        "/api/metrics/summary", {"device_id": acme_device.pk, "metric": "power", **MARCH_1}
    ).json()

    assert body["count"] == 5 and body["mean"] == 3.0 and body["median"] == 3.0
    assert body["std"] == pytest.approx(1.5811388, rel=1e-6)
    assert body["sigma_within"] == pytest.approx(1 / 1.128)
    assert body["lsl"] is None and body["cp"] is None and body["dpmo"] is None


def test_voltages_default_to_the_prodist_range_of_the_devices_nominal_voltage(acme_api, acme):
    device = device_add(acme, nominal_voltage=220)
    store_values(acme, device, "voltage_l1", [215.0, 220.0, 240.0, 221.0])

    body = acme_api.get(
        "/api/metrics/summary", {"device_id": device.pk, "metric": "voltage_l1", **MARCH_1}
    ).json()

    assert (body["lsl"], body["usl"]) == (202.0, 231.0)
    assert body["dpmo"] == 250_000
    assert body["cp"] is not None


def test_line_voltages_default_to_the_line_voltage_range(acme_api, acme, acme_device):
    store_values(acme, acme_device, "voltage_l1_l2", [220.0, 221.0])

    body = acme_api.get(
        "/api/metrics/summary", {"device_id": acme_device.pk, "metric": "voltage_l1_l2", **MARCH_1}
    ).json()

    assert (body["lsl"], body["usl"]) == (202.0, 231.0)


def test_limits_given_override_the_defaults(acme_api, acme, acme_device):
    store_values(acme, acme_device, "voltage_l1", [120.0, 125.0, 130.0])

    query = {"device_id": acme_device.pk, "metric": "voltage_l1", "lsl": 121, "usl": 129, **MARCH_1}
    body = acme_api.get("/api/metrics/summary", query).json()

    assert (body["lsl"], body["usl"]) == (121.0, 129.0)
    assert body["dpmo"] == pytest.approx(2 / 3 * 1_000_000)


def test_a_lower_limit_above_the_upper_is_refused(acme_api, acme_device):
    query = {"device_id": acme_device.pk, "metric": "power", "lsl": 10, "usl": 1}

    response = acme_api.get("/api/metrics/summary", query)

    assert response.status_code == 400
    assert "lsl" in response.json()


def test_a_summary_of_nothing_has_count_zero(acme_api, acme_device):
    body = acme_api.get(
        "/api/metrics/summary", {"device_id": acme_device.pk, "metric": "power", **MARCH_1}
    ).json()

    assert body["count"] == 0 and body["mean"] is None
