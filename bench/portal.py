"""Portal benchmark: server time of each portal page on a site of 10 meters with 30-s readings.

Workload: one client with a grid meter, a generation meter and 8 load meters, each storing 12 metrics every
30 s for BENCH_PORTAL_DAYS days up to now (default: BENCH_DAYS, itself 365 under `make bench`). The history
up to an hour ago is written by the database from the same formulas, the rows readings_ingest stores
(`BENCH_PORTAL_LOAD=ingest`: through readings_ingest itself, much slower); the last hour goes through
readings_ingest, then the rollups are closed as far as beat's last hourly close (ROLLUPS_CLOSE_MINUTE) closed
them, so that the pages read the readings since then, as in service. `BENCH_PORTAL_KEEP=1` keeps the
site after the run and reuses it the next time, topped up to now through readings_ingest.

Each page is requested in-process through the whole middleware stack (tenant by domain, session, time zone)
by a signed-in staff user (every page once first, as a running server has), then each page once to warm up
with the cache cleared, then BENCH_PORTAL_REQUESTS times (default 20); p50 and p95 of
the wall time per request are printed, with this process's CPU time and the first request's time (the
cache cleared before it). The public dashboard is requested anonymously.
"""

import math
import os
import secrets
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as PageClient  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from analytics.rollups import rollups_close, rollups_reopen  # noqa: E402
from meters.models import Device  # noqa: E402
from meters.readings.ingest import ReadingIn, readings_ingest  # noqa: E402
from meters.readings.layouts import device_layouts_record, layout_id_for  # noqa: E402
from tenants.models import Client  # noqa: E402
from tenants.services import client_create, public_link_create, user_create  # noqa: E402

DAYS = int(os.environ.get("BENCH_PORTAL_DAYS", os.environ.get("BENCH_DAYS", "365")))
REQUESTS = int(os.environ.get("BENCH_PORTAL_REQUESTS", "20"))
STEP = timedelta(seconds=30)
BATCH = 2000
LOAD = os.environ.get("BENCH_PORTAL_LOAD", "database")
KEEP = os.environ.get("BENCH_PORTAL_KEEP") == "1"
SLUG = "bench-portal"
ROLES = ["grid", "generation"] + ["load"] * 8


def _metrics(*, role: str, n: int, hour: float) -> dict[str, float]:
    sun = max(math.sin(math.pi * (hour - 6) / 12), 0.0) if 6 <= hour <= 18 else 0.0
    load = 800 + 400 * math.sin(n / 50)
    power = {"grid": load - 3000 * sun, "generation": -3000 * sun, "load": load / 8}[role]
    return {
        "power": power,
        "voltage_l1": 127 + 3 * math.sin(n / 300),
        "voltage_l2": 128 + 3 * math.sin(n / 310),
        "voltage_l3": 126 + 3 * math.sin(n / 320),
        "current_l1": abs(power) / 381,
        "current_l2": abs(power) / 381,
        "current_l3": abs(power) / 381,
        "power_factor": 0.95,
        "frequency": 60.0,
        "energy_import": n * 0.006,
        "energy_export": n * 0.003 if role != "load" else 0.0,
        "energy_total": n * 0.009,
    }


# _metrics computed by the database for one device over readings [first, last) of the history, in the
# layout's order (the names sorted): what readings_ingest stores for those readings.
HISTORY = """
    INSERT INTO meters_reading (ts, device_id, layout_id, "values")
    SELECT ts, %(device_id)s, %(layout_id)s, ARRAY[
        abs(power) / 381, abs(power) / 381, abs(power) / 381,
        CASE WHEN %(role)s = 'load' THEN 0.0 ELSE n * 0.003 END, n * 0.006, n * 0.009,
        60.0, power, 0.95,
        127 + 3 * sin(n / 300.0), 128 + 3 * sin(n / 310.0), 126 + 3 * sin(n / 320.0)
    ]::float8[]
    FROM (
        SELECT n, ts, CASE %(role)s
            WHEN 'grid' THEN load - 3000 * sun WHEN 'generation' THEN -3000 * sun ELSE load / 8 END AS power
        FROM (
            SELECT n, ts, 800 + 400 * sin(n / 50.0) AS load,
                CASE WHEN hour BETWEEN 6 AND 18 THEN greatest(sin(pi() * (hour - 6) / 12), 0.0) ELSE 0.0 END
                    AS sun
            FROM (
                SELECT n, ts, (extract(hour FROM ts AT TIME ZONE 'UTC')::int + 21) %% 24
                    + extract(minute FROM ts AT TIME ZONE 'UTC')::float8 / 60 AS hour
                FROM (
                    SELECT n, %(start)s::timestamptz + n * interval '30 seconds' AS ts
                    FROM generate_series(%(first)s::int, %(last)s::int - 1) AS n
                ) steps
            ) hours
        ) shares
    ) readings
"""
HISTORY_CHUNK = 30 * 24 * 120
NAMES = tuple(sorted(_metrics(role="grid", n=0, hour=0.0)))


def _site() -> tuple[Client, list[Device], str]:
    client = Client.objects.filter(slug=SLUG).first() if KEEP else None
    fresh = client is None
    if fresh:
        for stale in Client.objects.filter(slug=SLUG):
            stale.delete(force_drop=True)
        client = client_create(name="Benchmark portal", slug=SLUG)
        user_create(
            username=f"{SLUG}-staff", password=secrets.token_urlsafe(16), client=client, is_staff=True
        )
    _link, token = public_link_create(client=client, name="bench")
    connection.set_tenant(client)
    if fresh:
        config = {"driver": "sdm630", "host": "127.0.0.1"}
        for index, role in enumerate(ROLES):
            Device.objects.create(name=f"Meter {index}", device_type="modbus_tcp", config=config, role=role)
    devices = list(Device.objects.order_by("pk"))
    began = time.perf_counter()
    now = timezone.now()
    if fresh:
        origin = now - timedelta(days=DAYS)
        recent = int((now - settings.ROLLUPS_CLOSE_AFTER - origin) / STEP)
        (_readings_ingest if LOAD == "ingest" else _history_insert)(
            devices=devices, origin=origin, first=0, last=recent
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(ts), max(ts) FROM meters_reading WHERE device_id = %s", [devices[0].pk]
            )
            origin, newest = cursor.fetchone()
        recent = int((newest - origin) / STEP) + 1
    _readings_ingest(devices=devices, origin=origin, first=recent, last=int((now - origin) / STEP) + 1)
    if fresh:
        # The planner needs the statistics of a bulk load before the rollups read it (readings-store.md).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE meters_reading")
    # Rollups closed as far as the last hourly close closed them: the pages read the readings after.
    until = _last_close() - settings.ROLLUPS_CLOSE_AFTER
    rollups_reopen(device_ids=[device.pk for device in devices], since=until)
    for device in devices:
        rollups_close(device_id=device.pk, until=until)
    if fresh:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE meters_reading")
            cursor.execute("VACUUM ANALYZE meters_energyrollup")
    connection.set_schema_to_public()
    print(
        f"readings loaded and rollups closed in {time.perf_counter() - began:.0f} s ({LOAD}, fresh: {fresh});"
        f" rollups closed until {until:%Y-%m-%d %H:%M} UTC, {(now - until) / timedelta(hours=1):.1f} h ago"
    )
    return client, devices, token


def _last_close() -> datetime:
    """When beat's hourly close (analytics.rollups_close_client) last ran."""
    now = timezone.now()
    run = now.replace(minute=settings.ROLLUPS_CLOSE_MINUTE, second=0, microsecond=0)
    return run if run <= now else run - timedelta(hours=1)


def _readings_ingest(*, devices: list[Device], origin: datetime, first: int, last: int) -> None:
    for low in range(first, last, BATCH):
        batch = []
        for n in range(low, min(low + BATCH, last)):
            ts = origin + n * STEP
            hour = (ts.hour - 3) % 24 + ts.minute / 60
            batch += [
                ReadingIn(device_id=device.pk, ts=ts, metrics=_metrics(role=device.role, n=n, hour=hour))
                for device in devices
            ]
        readings_ingest(readings=batch)


def _history_insert(*, devices: list[Device], origin: datetime, first: int, last: int) -> None:
    layout_id = layout_id_for(NAMES)
    device_layouts_record(first_index={(device.pk, layout_id): 0 for device in devices})
    for device in devices:
        for low in range(first, last, HISTORY_CHUNK):
            params = {"device_id": device.pk, "layout_id": layout_id, "role": device.role, "start": origin}
            with connection.cursor() as cursor:
                cursor.execute(HISTORY, {**params, "first": low, "last": min(low + HISTORY_CHUNK, last)})


def _timings(browser: PageClient, url: str) -> dict[str, float]:
    """Milliseconds: the first request (warm-up, cold cache), then p50 and p95 of the wall time and p50 of
    this process's CPU time (the database's work is not in it) over the REQUESTS that follow."""
    began = time.perf_counter()
    assert browser.get(url).status_code == 200, url
    first = (time.perf_counter() - began) * 1000
    walls, cpus = [], []
    for _ in range(REQUESTS):
        began, cpu = time.perf_counter(), time.process_time()
        response = browser.get(url)
        walls.append((time.perf_counter() - began) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "first": first,
        "p50": statistics.median(walls),
        "p95": statistics.quantiles(walls, n=20)[18],
        "cpu": statistics.median(cpus),
    }


def main() -> None:
    client, devices, token = _site()
    host = client.portal_domain
    staff = PageClient(HTTP_HOST=host)
    staff.force_login(client.users.get())
    anonymous = PageClient(HTTP_HOST=host)
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    last_month = f"{today.replace(day=1) - timedelta(days=1):%Y-%m}"
    grid = devices[0].pk
    pages = {
        "overview / (today by hour)": (staff, "/"),
        "overview, this month by day": (staff, "/?period=month"),
        "overview, this year by month": (staff, "/?period=year"),
        "device /devices/<grid>/ (today)": (staff, f"/devices/{grid}/"),
        "device, last 30 days": (staff, f"/devices/{grid}/?start={today - timedelta(days=29)}&end={today}"),
        "device, last 365 days": (staff, f"/devices/{grid}/?start={today - timedelta(days=364)}&end={today}"),
        "alarms /alarms/": (staff, "/alarms/"),
        f"report /reports/{month}/": (staff, f"/reports/{month}/"),
        f"report /reports/{last_month}/": (staff, f"/reports/{last_month}/"),
        "public /p/<token>/": (anonymous, f"/p/{token}/"),
        "public /p/<token>/data": (anonymous, f"/p/{token}/data"),
    }
    print("== portal pages ==")
    print(
        f"workload: 10 meters (grid, generation, 8 loads), 12 metrics every 30 s for {DAYS} days up to now"
        f" = {DAYS * 24 * 120 * 10:,} readings; {REQUESTS} requests per page after one warm-up"
    )
    rates = {"token": "1000/min", "ingest": "100000/min", "public": "100000/min"}
    with override_settings(
        REST_FRAMEWORK={**django.conf.settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        # A server process has served every page before: its imports, templates and plotly's validators are
        # loaded once, not within the first page measured.
        for browser, url in pages.values():
            assert browser.get(url).status_code == 200, url
        for name, (browser, url) in pages.items():
            cache.clear()
            took = _timings(browser, url)
            print(
                f"{name:36s} p50 {took['p50']:7.1f} ms  p95 {took['p95']:7.1f} ms"
                f"  (cpu p50 {took['cpu']:6.1f} ms, first {took['first']:7.1f} ms)"
            )
    print(f"load average after the run: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    if not KEEP:
        client.delete(force_drop=True)


if __name__ == "__main__":
    main()
