"""Rule kinds through the API: what each needs, what it is given by default."""

from datetime import UTC, datetime, timedelta

from tests.helpers.devices import readings_store


def test_a_threshold_rule_gets_the_defaults(acme_api):
    body = acme_api.post("/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 1}).json()

    assert (
        body["kind"],
        body["duration_s"],
        body["hysteresis"],
        body["severity"],
        body["baseline_days"],
    ) == (
        "threshold",
        0,
        0.0,
        "warning",
        7,
    )


def test_a_threshold_rule_without_its_threshold_is_refused_naming_it(acme_api):
    response = acme_api.post("/api/alarms/rules", {"metric": "power", "operator": ">"})

    assert response.status_code == 400 and "threshold" in response.json()


def test_an_offline_rule_needs_a_duration(acme_api):
    response = acme_api.post("/api/alarms/rules", {"kind": "offline"})

    assert response.status_code == 400 and "duration_s" in response.json()


def test_an_offline_rule_for_every_device_is_created(acme_api):
    response = acme_api.post(
        "/api/alarms/rules", {"kind": "offline", "duration_s": 900, "severity": "critical"}
    )

    assert response.status_code == 201
    assert (response.json()["metric"], response.json()["device_id"]) == ("", None)


def test_a_control_rule_needs_a_device(acme_api):
    response = acme_api.post("/api/alarms/rules", {"kind": "control", "metric": "voltage_l1"})

    assert response.status_code == 400 and "device_id" in response.json()


def test_a_control_rule_shows_the_limits_of_its_baseline(acme_api, acme, acme_device):
    now = datetime.now(UTC)
    readings_store(
        acme, acme_device, [(now - timedelta(hours=n), {"voltage_l1": 127.0 + n % 2}) for n in range(1, 30)]
    )

    body = acme_api.post(
        "/api/alarms/rules",
        {"kind": "control", "metric": "voltage_l1", "device_id": acme_device.pk, "baseline_days": 2},
    ).json()

    assert body["ucl"] > 127.0 > body["lcl"] and body["limits_computed_at"] is not None


def test_bad_kinds_severities_and_durations_are_refused_naming_the_field(acme_api):
    base = {"metric": "power", "operator": ">", "threshold": 1}
    for field, value in [
        ("kind", "magic"),
        ("severity", "fatal"),
        ("duration_s", -1),
        ("hysteresis", -2),
        ("baseline_days", 0),
    ]:
        response = acme_api.post("/api/alarms/rules", base | {field: value})
        assert response.status_code == 400 and field in response.json(), field


def test_a_patch_to_another_kind_is_checked_against_it(acme_api):
    rule_id = acme_api.post("/api/alarms/rules", {"metric": "power", "operator": ">", "threshold": 1}).json()[
        "id"
    ]

    response = acme_api.patch(f"/api/alarms/rules/{rule_id}", {"kind": "control"})

    assert response.status_code == 400 and "device_id" in response.json()
