"""Long-range views over a year of one SDM630's 30-s readings (issue 13's bar: p95 <= 150 ms).

    python bench/long_range_views.py load    # once: a year of readings into client `bench-year`, kept
    python bench/long_range_views.py views   # the four views, in-process and through the API

`load` copies the simulated readings straight into meters_reading (binary COPY, a few minutes for a year,
against a quarter of an hour through readings_ingest), analyzes the table, closes the rollups and packs
every day but the last READINGS_COLD_AFTER into cold chunks, as the daily maintenance does. `views`
times each view through its selector (CPU and wall) and through the API's view (Django's test client, a
real request through the middleware and serializers), p50 / p95 over repeated calls, and prints the bytes
of each table per raw value. BENCH_NO_STATS=1: the views run with the rollup tables' planner statistics
removed, as on rollups written since autovacuum last analyzed them.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402

from analytics.rollups import rollups_close  # noqa: E402
from analytics.selectors import device_energy_periods, device_metric_summary  # noqa: E402
from bench.readings_data import sdm630_days  # noqa: E402
from meters.models import Device  # noqa: E402
from meters.readings.chunks import chunks_pack  # noqa: E402
from meters.readings.ingest import ReadingIn, readings_ingest  # noqa: E402
from tenants.models import Client, User  # noqa: E402
from tenants.services import client_create  # noqa: E402

SLUG = "bench-year"
DAYS = int(os.environ.get("BENCH_DAYS", "365"))
TZ = "America/Sao_Paulo"
START = datetime(2025, 1, 1, 3, tzinfo=UTC)  # midnight in São Paulo
END = START + timedelta(days=DAYS)
COPY = 'COPY meters_reading (ts, device_id, layout_id, "values") FROM STDIN (FORMAT BINARY)'
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
NO_STATS = os.environ.get("BENCH_NO_STATS") == "1"
ROLLUP_TABLES = ("meters_energyrollup", "meters_metricrollup")


def load() -> None:
    for stale in Client.objects.filter(slug=SLUG):
        stale.delete(force_drop=True)
    client = client_create(name="Benchmark year", slug=SLUG, time_zone=TZ)
    connection.set_tenant(client)
    device = Device.objects.create(
        name="SDM630 year", device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
    )
    began = time.perf_counter()
    layout_id = None
    with connection.cursor() as cursor:
        for times, names, matrix in sdm630_days(start=START, days=DAYS):
            if layout_id is None:
                # The first reading through the write path: it records the layout as ingest does.
                first = ReadingIn(
                    device_id=device.pk, ts=times[0], metrics=dict(zip(names, matrix[0], strict=True))
                )
                readings_ingest(readings=[first])
                cursor.execute("SELECT layout_id FROM meters_reading WHERE device_id = %s", [device.pk])
                layout_id = cursor.fetchone()[0]
            skip = 1 if times[0] == START else 0  # the first reading is stored already
            with transaction.atomic(), cursor.copy(COPY) as copy:
                copy.set_types(["timestamptz", "int8", "int8", "float8[]"])
                for ts, row in zip(times[skip:], matrix[skip:].tolist(), strict=True):
                    copy.write_row((ts, device.pk, layout_id, row))
        cursor.execute("ANALYZE meters_reading")
    print(f"loaded {DAYS} days in {time.perf_counter() - began:.0f} s")
    wall, cpu = time.perf_counter(), time.process_time()
    rollups_close(device_id=device.pk, until=END)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"rollups closed: {wall / DAYS * 1000:.0f} ms wall, {cpu / DAYS * 1000:.0f} ms CPU per device-day")
    wall, cpu = time.perf_counter(), time.process_time()
    packed = chunks_pack(device_id=device.pk, before=END - settings.READINGS_COLD_AFTER)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    days = max(packed.days, 1)
    print(
        f"packed {packed.days} device-days into cold chunks:"
        f" {wall / days * 1000:.0f} ms wall, {cpu / days * 1000:.0f} ms CPU per device-day"
    )


def views() -> None:
    client = Client.objects.get(slug=SLUG)
    connection.set_tenant(client)
    device = Device.objects.get()
    month = END - timedelta(days=30)
    day = END - timedelta(days=1)
    _sizes_print(device=device)
    if NO_STATS:
        _statistics_forget(tables=ROLLUP_TABLES)
    selectors: list[tuple[str, Callable[[], object]]] = [
        (
            "energy by month over the year",
            lambda: device_energy_periods(
                device=device, interval="month", time_zone=TZ, start=START, end=END
            ),
        ),
        (
            "energy by day over 30 days",
            lambda: device_energy_periods(device=device, interval="day", time_zone=TZ, start=month, end=END),
        ),
        (
            "voltage_l1 summary over 30 days",
            lambda: device_metric_summary(
                device=device, metric="voltage_l1", start=month, end=END, lsl=117.0, usl=133.0
            ),
        ),
    ]
    print(f"in-process selectors, {REPEAT} calls: p50 / p95 wall ms, mean CPU ms of this process")
    for name, view in selectors:
        _report(name, view)
    http = _http_client(client=client)
    iso = {"start": START.isoformat(), "end": END.isoformat()}
    month_range = {"start": month.isoformat(), "end": END.isoformat()}
    requests = [
        ("GET /api/energy by month over the year", "/api/energy", {"interval": "month", **iso}),
        ("GET /api/energy by day over 30 days", "/api/energy", {"interval": "day", **month_range}),
        (
            "GET /api/metrics/summary voltage_l1 over 30 days",
            "/api/metrics/summary",
            {"metric": "voltage_l1", **month_range},
        ),
        (
            "GET /api/metrics a day of power_l2 (raw)",
            "/api/metrics",
            {"metric": "power_l2", "start": day.isoformat(), "end": END.isoformat(), "limit": 100000},
        ),
        (
            "GET /api/metrics a month of power_l2 (resolution chosen)",
            "/api/metrics",
            {"metric": "power_l2", **month_range},
        ),
        (
            "GET /api/metrics the year of power_l2 (resolution chosen)",
            "/api/metrics",
            {"metric": "power_l2", **iso},
        ),
    ]
    print(f"through the API (in-process HTTP client), {REPEAT} calls: p50 / p95 wall ms, mean CPU ms")
    for name, path, query in requests:
        query = {"device_id": device.pk, **query}

        def call(path=path, query=query) -> None:
            response = http.get(path, query)
            assert response.status_code == 200, (response.status_code, response.content[:300])

        _report(name, call)


def _http_client(*, client: Client) -> HttpClient:
    user, _ = User.objects.get_or_create(username=f"{SLUG}-user", defaults={"client": client})
    token = RefreshToken.for_user(user).access_token
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST=client.portal_domain)


def _report(name: str, view: Callable[[], object]) -> None:
    view()  # warm caches and connections
    walls, cpus = [], []
    for _ in range(REPEAT):
        wall, cpu = time.perf_counter(), time.process_time()
        view()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    p95 = statistics.quantiles(walls, n=20, method="inclusive")[-1]
    print(f"  {name}: {statistics.median(walls):,.1f} / {p95:,.1f} ms, CPU {statistics.mean(cpus):,.1f} ms")


def _statistics_forget(*, tables: tuple[str, ...]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("DELETE FROM pg_statistic WHERE starelid = %s::regclass", [table])
            cursor.execute("UPDATE pg_class SET reltuples = -1 WHERE oid = %s::regclass", [table])
    print(f"planner statistics removed: {', '.join(tables)}")


def _sizes_print(*, device: Device) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT count(*), sum(cardinality("values")) FROM meters_reading WHERE device_id = %s',
            [device.pk],
        )
        readings, values = cursor.fetchone()
        cursor.execute(
            "SELECT coalesce(sum(c.count), 0), coalesce(sum(c.count * cardinality(l.names)), 0)"
            " FROM meters_coldchunk c JOIN meters_metriclayout l ON l.id = c.layout_id"
            " WHERE c.device_id = %s",
            [device.pk],
        )
        packed_readings, packed_values = cursor.fetchone()
        readings, values = readings + packed_readings, (values or 0) + packed_values
        # The hot table keeps the pages its packed days freed (reused by the next days in service).
        for table in ("meters_reading", "meters_coldchunk", *ROLLUP_TABLES):
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
            if not cursor.fetchone()[0]:
                continue
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            size = cursor.fetchone()[0]
            print(f"{table}: {size:,} bytes = {size / values:.3f} bytes per raw value ({values:,} values)")
    print(f"({readings:,} readings, {packed_readings:,} of them packed)")


if __name__ == "__main__":
    {"load": load, "views": views}[sys.argv[1]]()
