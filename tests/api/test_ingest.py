import json
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from meters.readings.series import metric_series


def stored(client, device, metric="power") -> list:
    with tenant_context(client):
        return metric_series(device_id=device.pk, metric=metric)


def post_raw(api, body: str):
    return api.generic("POST", "/api/ingest", body, content_type="application/json")


def test_one_reading_is_stored_and_its_points_counted(acme_api, acme, acme_device):
    reading = {
        "device_id": acme_device.pk,
        "ts": "2025-01-31T14:00:00-03:00",
        "metrics": {"power": 1520.5, "voltage_l1": 127.3},
    }

    response = acme_api.post("/api/ingest", reading)

    assert response.status_code == 201
    assert response.json() == {"accepted": 2}
    assert stored(acme, acme_device) == [(datetime(2025, 1, 31, 17, tzinfo=UTC), 1520.5)]


def test_a_list_of_readings_is_stored(acme_api, acme, acme_device):
    readings = [
        {
            "device_id": acme_device.pk,
            "ts": f"2025-01-31T14:0{minute}:00Z",
            "metrics": {"power": float(minute)},
        }
        for minute in range(3)
    ]

    response = acme_api.post("/api/ingest", readings)

    assert response.json() == {"accepted": 3}
    assert [value for _, value in stored(acme, acme_device)] == [0.0, 1.0, 2.0]


def test_a_batch_with_one_bad_reading_stores_nothing_and_names_it(acme_api, acme, acme_device):
    readings = [
        {"device_id": acme_device.pk, "ts": "2025-01-31T14:00:00Z", "metrics": {"power": 1.0}},
        {"device_id": acme_device.pk, "ts": "2025-01-31T14:01:00Z", "metrics": {"power": "lots"}},
        {"device_id": acme_device.pk, "ts": "2025-01-31T14:02:00Z", "metrics": {"power": 3.0}},
    ]

    response = acme_api.post("/api/ingest", readings)

    assert response.status_code == 400
    assert response.json()["index"] == 1
    assert response.json()["field"] == "metrics.power"
    assert stored(acme, acme_device) == []


def test_nan_is_refused_as_not_json(acme_api, acme, acme_device):
    response = post_raw(acme_api, f'{{"device_id": {acme_device.pk}, "metrics": {{"power": NaN}}}}')

    assert response.status_code == 400
    assert "NaN" in response.json()["detail"]
    assert stored(acme, acme_device) == []


def test_infinity_is_refused_as_not_json(acme_api, acme_device):
    response = post_raw(acme_api, f'{{"device_id": {acme_device.pk}, "metrics": {{"power": -Infinity}}}}')

    assert response.status_code == 400


def test_a_number_too_large_for_a_double_is_refused_naming_the_field(acme_api, acme_device):
    response = post_raw(acme_api, f'{{"device_id": {acme_device.pk}, "metrics": {{"power": 1e400}}}}')

    assert response.status_code == 400
    assert response.json()["field"] == "metrics.power"


def test_an_integer_too_large_for_any_column_is_refused(acme_api, acme_device):
    response = post_raw(acme_api, f'{{"device_id": {acme_device.pk}, "metrics": {{"power": {"9" * 400}}}}}')

    assert response.status_code == 400


def test_a_time_without_offset_is_refused(acme_api, acme_device):
    response = acme_api.post(
        "/api/ingest", {"device_id": acme_device.pk, "ts": "2025-01-31T14:00:00", "metrics": {"power": 1}}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "ts"
    assert "offset" in response.json()["detail"]


def test_a_reading_without_time_is_taken_at_the_servers_time(acme_api, acme, acme_device):
    before = timezone.now()

    acme_api.post("/api/ingest", {"device_id": acme_device.pk, "metrics": {"power": 1.0}})

    [(ts, _)] = stored(acme, acme_device)
    assert before <= ts <= timezone.now()


def test_a_reading_naming_no_device_is_refused(acme_api):
    response = acme_api.post("/api/ingest", {"metrics": {"power": 1.0}})

    assert response.status_code == 400
    assert (response.json()["index"], response.json()["field"]) == (0, "device_id")


def test_an_unknown_field_is_refused_naming_it(acme_api, acme_device):
    response = acme_api.post(
        "/api/ingest", [{"device_id": acme_device.pk, "metrics": {"power": 1}, "unit": "W"}]
    )

    assert response.json()["field"] == "unit"


def test_a_bad_metric_name_is_refused_naming_it(acme_api, acme_device):
    response = acme_api.post("/api/ingest", {"device_id": acme_device.pk, "metrics": {"Power (W)": 1}})

    assert response.status_code == 400
    assert response.json()["field"] == "metrics.Power (W)"


def test_a_body_that_is_not_json_is_refused(acme_api):
    response = post_raw(acme_api, "{not json")

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_json_nested_too_deeply_is_refused(acme_api):
    assert post_raw(acme_api, "[" * 100_000 + "]" * 100_000).status_code == 400


def test_values_are_read_back_exactly_as_sent(acme_api, acme, acme_device):
    value = 0.1 + 0.2

    acme_api.post(
        "/api/ingest",
        {"device_id": acme_device.pk, "ts": "2025-01-31T14:00:00Z", "metrics": {"power": value}},
    )

    [point] = acme_api.get("/api/metrics", {"device_id": acme_device.pk, "metric": "power"}).json()["points"]
    assert point["value"] == value
    assert json.dumps(point["value"]) == "0.30000000000000004"


def test_a_replayed_reading_replaces_the_stored_one(acme_api, acme, acme_device):
    reading = {"device_id": acme_device.pk, "ts": "2025-01-31T14:00:00Z", "metrics": {"power": 1.0}}
    acme_api.post("/api/ingest", reading)

    acme_api.post("/api/ingest", {**reading, "metrics": {"power": 2.0}})

    assert [value for _, value in stored(acme, acme_device)] == [2.0]


def test_ingestion_is_throttled(acme_api, acme_device):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ingest": "2/min"}
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [
            acme_api.post(
                "/api/ingest",
                {
                    "device_id": acme_device.pk,
                    "ts": (start + timedelta(minutes=n)).isoformat(),
                    "metrics": {"power": 1},
                },
            ).status_code
            for n in range(3)
        ]

    assert statuses == [201, 201, 429]


def test_staff_on_the_platform_domain_ingest_for_the_client_they_name(staff_api, acme, acme_device):
    response = staff_api.post(
        f"/api/ingest?client_id={acme.pk}", [{"device_id": acme_device.pk, "metrics": {"power": 5.0}}]
    )

    assert response.status_code == 201
    assert [value for _, value in stored(acme, acme_device)] == [5.0]
