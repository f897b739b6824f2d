"""A poll (the real task, against a simulated SDM630 on loopback) and an ingest through the API move the
counters that /metrics shows."""

from django_tenants.utils import tenant_context

from alarms.models import AlarmRule
from meters.models import Device
from meters.polling.tasks import poll_device
from tests.helpers.api import ACME, api_client
from tests.helpers.devices import device_add
from tests.helpers.metrics import scrape
from tests.helpers.pipeline import ew11_sdm630, rtu_config

STORED = ("pieng_polls_total", (("result", "stored"),))
FAILED = ("pieng_polls_total", (("result", "failed"),))
DURATIONS = ("pieng_poll_duration_seconds_count", ())
BUS_WAITS = ("pieng_bus_lock_wait_seconds_count", ())
READINGS = ("pieng_readings_ingested_total", ())
VALUES = ("pieng_values_ingested_total", ())
ACME_ONLINE = ("pieng_devices", (("client", "acme"), ("state", "online")))


def device_make(acme, *, port: int) -> Device:
    return device_add(acme, name="Metrics SDM630", config=rtu_config(port=port, slave_id=1))


def test_a_stored_poll_moves_the_poll_and_ingest_counters(
    client, acme, metrics_token, commits_run, eager_tasks_in_the_test_transaction
):
    before = scrape(client, metrics_token)
    with ew11_sdm630() as simulator:
        device = device_make(acme, port=simulator.port)
        with tenant_context(acme), commits_run(execute=True):
            result = poll_device.apply(kwargs={"device_id": device.pk}).get()

    after = scrape(client, metrics_token)
    assert result == "stored"
    assert after[STORED] == before[STORED] + 1
    assert after[FAILED] == before[FAILED]
    assert after[DURATIONS] == before[DURATIONS] + 1
    assert after[BUS_WAITS] == before[BUS_WAITS] + 1
    assert after[READINGS] == before[READINGS] + 1
    assert after[VALUES] > before[VALUES] + 10
    assert after[ACME_ONLINE] == before[ACME_ONLINE] + 1


def test_a_failed_poll_counts_as_failed(
    client, acme, metrics_token, closed_port, eager_tasks_in_the_test_transaction
):
    before = scrape(client, metrics_token)
    device = device_make(acme, port=closed_port)
    with tenant_context(acme):
        result = poll_device.apply(kwargs={"device_id": device.pk}).get()

    after = scrape(client, metrics_token)
    assert result == "failed"
    assert after[FAILED] == before[FAILED] + 1
    assert after[STORED] == before[STORED]


def test_an_ingest_through_the_api_moves_the_readings_and_values_counters(
    client, acme, metrics_token, commits_run
):
    device = device_make(acme, port=502)
    api = api_client(host=ACME, username="acme-user")
    readings = [
        {
            "device_id": device.pk,
            "ts": f"2025-01-31T14:0{minute}:00Z",
            "metrics": {"power": 1.0, "voltage": 2.0},
        }
        for minute in range(3)
    ]
    before = scrape(client, metrics_token)

    with commits_run(execute=True):
        response = api.post("/api/ingest", readings, format="json")

    after = scrape(client, metrics_token)
    assert response.status_code == 201
    assert after[READINGS] == before[READINGS] + 3
    assert after[VALUES] == before[VALUES] + 6


def test_a_refused_batch_counts_nothing(client, acme, metrics_token, commits_run):
    device = device_make(acme, port=502)
    api = api_client(host=ACME, username="acme-user")
    before = scrape(client, metrics_token)

    with commits_run(execute=True):
        response = api.post(
            "/api/ingest", [{"device_id": device.pk, "ts": "2025-01-31T14:00:00Z", "metrics": {"power": "x"}}]
        )

    assert response.status_code == 400
    assert scrape(client, metrics_token)[READINGS] == before[READINGS]


def test_alarm_events_raised_and_cleared_by_an_ingest_are_counted(client, acme, metrics_token, commits_run):
    device = device_make(acme, port=502)
    with tenant_context(acme):
        AlarmRule.objects.create(metric="power", operator=">", threshold=100.0, device=device)
    api = api_client(host=ACME, username="acme-user")
    readings = [
        {"device_id": device.pk, "ts": f"2025-01-31T14:0{minute}:00Z", "metrics": {"power": power}}
        for minute, power in enumerate([50.0, 150.0, 60.0, 170.0])
    ]
    raised, cleared = (
        ("pieng_alarm_events_total", (("kind", "raised"),)),
        (
            "pieng_alarm_events_total",
            (("kind", "cleared"),),
        ),
    )
    before = scrape(client, metrics_token)

    with commits_run(execute=True):
        response = api.post("/api/ingest", readings, format="json")

    after = scrape(client, metrics_token)
    assert response.status_code == 201
    assert after[raised] == before.get(raised, 0) + 2
    assert after[cleared] == before.get(cleared, 0) + 1
