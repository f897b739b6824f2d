from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.devices import readings_store

# Midnight in São Paulo (UTC-3).
MIDNIGHT = datetime(2025, 3, 1, 3, tzinfo=UTC)


def test_energy_per_hour_comes_from_the_counters(acme_api, acme, acme_device):
    readings_store(
        acme,
        acme_device,
        [
            (MIDNIGHT + timedelta(hours=n), {"energy_import": 100.0 + 2 * n, "energy_export": 50.0 + n})
            for n in range(4)
        ],
    )
    query = {
        "device_id": acme_device.pk,
        "interval": "hour",
        "start": MIDNIGHT.isoformat(),
        "end": (MIDNIGHT + timedelta(hours=3)).isoformat(),
    }

    body = acme_api.get("/api/energy", query).json()

    assert [row["period"] for row in body] == [
        "2025-03-01T00:00:00-03:00",
        "2025-03-01T01:00:00-03:00",
        "2025-03-01T02:00:00-03:00",
    ]
    assert [row["import_kwh"] for row in body] == pytest.approx([2.0, 2.0, 2.0])
    assert [row["export_kwh"] for row in body] == pytest.approx([1.0, 1.0, 1.0])
    assert [row["net_kwh"] for row in body] == pytest.approx([1.0, 1.0, 1.0])


def test_days_follow_the_clients_calendar(acme_api, acme, acme_device):
    # 02:00 UTC on the 2nd is still the 1st in São Paulo.
    readings_store(
        acme,
        acme_device,
        [
            (MIDNIGHT, {"energy_import": 0.0}),
            (datetime(2025, 3, 2, 2, tzinfo=UTC), {"energy_import": 5.0}),
            (MIDNIGHT + timedelta(days=1), {"energy_import": 5.0}),
            (MIDNIGHT + timedelta(days=2), {"energy_import": 7.0}),
        ],
    )
    query = {
        "device_id": acme_device.pk,
        "interval": "day",
        "start": MIDNIGHT.isoformat(),
        "end": (MIDNIGHT + timedelta(days=2)).isoformat(),
    }

    body = acme_api.get("/api/energy", query).json()

    assert [row["import_kwh"] for row in body] == pytest.approx([5.0, 2.0])


def test_energy_defaults_to_today_by_hour(acme_api, acme_device):
    response = acme_api.get("/api/energy", {"device_id": acme_device.pk, "interval": "hour"})

    assert response.status_code == 200
    assert response.json()[0]["period"].endswith("T00:00:00-03:00")


def test_an_unknown_interval_is_refused(acme_api, acme_device):
    response = acme_api.get("/api/energy", {"device_id": acme_device.pk, "interval": "week"})

    assert response.status_code == 400
    assert "interval" in response.json()


def test_a_range_too_long_for_its_interval_is_refused(acme_api, acme_device):
    query = {
        "device_id": acme_device.pk,
        "interval": "hour",
        "start": "2020-01-01T00:00Z",
        "end": "2025-01-01T00:00Z",
    }

    assert "end" in acme_api.get("/api/energy", query).json()
