from datetime import UTC, datetime, timedelta

from tests.helpers.devices import readings_store

START = datetime(2025, 3, 1, 12, tzinfo=UTC)


def test_a_series_comes_newest_first_in_the_clients_time_zone(acme_api, acme, acme_device):
    readings_store(acme, acme_device, [(START + timedelta(minutes=n), {"power": float(n)}) for n in range(3)])

    response = acme_api.get("/api/metrics", {"device_id": acme_device.pk, "metric": "power"})

    assert response.status_code == 200
    assert response.json() == {
        "device_id": acme_device.pk,
        "metric": "power",
        "points": [
            {"ts": "2025-03-01T09:02:00-03:00", "value": 2.0},
            {"ts": "2025-03-01T09:01:00-03:00", "value": 1.0},
            {"ts": "2025-03-01T09:00:00-03:00", "value": 0.0},
        ],
    }


def test_limit_start_and_end_bound_the_series(acme_api, acme, acme_device):
    readings_store(
        acme, acme_device, [(START + timedelta(minutes=n), {"power": float(n)}) for n in range(10)]
    )
    query = {
        "device_id": acme_device.pk,
        "metric": "power",
        "start": (START + timedelta(minutes=2)).isoformat(),
        "end": (START + timedelta(minutes=8)).isoformat(),
        "limit": 3,
    }

    points = acme_api.get("/api/metrics", query).json()["points"]

    assert [point["value"] for point in points] == [7.0, 6.0, 5.0]


def test_an_offset_whose_plus_became_a_space_is_understood(acme_api, acme, acme_device):
    readings_store(acme, acme_device, [(START, {"power": 1.0})])

    response = acme_api.get(
        f"/api/metrics?device_id={acme_device.pk}&metric=power&start=2025-03-01T12:00:00+00:00"
    )

    assert response.status_code == 200
    assert len(response.json()["points"]) == 1


def test_a_naive_start_is_refused_naming_it(acme_api, acme_device):
    response = acme_api.get(
        "/api/metrics", {"device_id": acme_device.pk, "metric": "power", "start": "2025-03-01T12:00"}
    )

    assert response.status_code == 400
    assert "start" in response.json()


def test_an_end_before_the_start_is_refused(acme_api, acme_device):
    query = {
        "device_id": acme_device.pk,
        "metric": "power",
        "start": "2025-03-02T00:00Z",
        "end": "2025-03-01T00:00Z",
    }

    assert "end" in acme_api.get("/api/metrics", query).json()


def test_a_limit_beyond_the_maximum_is_refused(acme_api, acme_device):
    response = acme_api.get(
        "/api/metrics", {"device_id": acme_device.pk, "metric": "power", "limit": 100_001}
    )

    assert response.status_code == 400
    assert "limit" in response.json()


def test_a_series_needs_a_device_and_a_metric(acme_api):
    response = acme_api.get("/api/metrics")

    assert response.status_code == 400
    assert set(response.json()) == {"device_id", "metric"}


def test_an_unknown_device_is_a_404(acme_api):
    assert acme_api.get("/api/metrics", {"device_id": 987654, "metric": "power"}).status_code == 404
