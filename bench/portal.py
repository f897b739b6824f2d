"""Portal benchmark: server time of each portal page on a site of 10 meters with 30-s readings.

Workload: one client with a grid meter, a generation meter and 8 load meters, each storing 12 metrics every
30 s for BENCH_PORTAL_DAYS days up to now (default: BENCH_DAYS, itself 365 under `make bench`), written
through `readings_ingest`. Each page is requested in-process through the whole middleware stack (tenant by
domain, session, time zone) by a signed-in staff user, once to warm up, then BENCH_PORTAL_REQUESTS times
(default 20); p50 and p95 of the wall time per request are printed. The public dashboard is requested
anonymously.
"""

import math
import os
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as PageClient  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from meters.models import Device  # noqa: E402
from meters.readings.ingest import ReadingIn, readings_ingest  # noqa: E402
from tenants.models import Client  # noqa: E402
from tenants.services import client_create, public_link_create, user_create  # noqa: E402

DAYS = int(os.environ.get("BENCH_PORTAL_DAYS", os.environ.get("BENCH_DAYS", "365")))
REQUESTS = int(os.environ.get("BENCH_PORTAL_REQUESTS", "20"))
STEP = timedelta(seconds=30)
BATCH = 2000
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


def _site() -> tuple[Client, list[Device], str]:
    for stale in Client.objects.filter(slug=SLUG):
        stale.delete(force_drop=True)
    client = client_create(name="Benchmark portal", slug=SLUG)
    user_create(username=f"{SLUG}-staff", password=secrets.token_urlsafe(16), client=client, is_staff=True)
    _link, token = public_link_create(client=client, name="bench")
    connection.set_tenant(client)
    config = {"driver": "sdm630", "host": "127.0.0.1"}
    devices = [
        Device.objects.create(name=f"Meter {index}", device_type="modbus_tcp", config=config, role=role)
        for index, role in enumerate(ROLES)
    ]
    end = timezone.now()
    start = end - timedelta(days=DAYS)
    count = DAYS * 24 * 120
    began = time.perf_counter()
    for first in range(0, count, BATCH):
        batch = []
        for n in range(first, min(first + BATCH, count)):
            ts = start + n * STEP
            hour = (ts.hour - 3) % 24 + ts.minute / 60
            batch += [
                ReadingIn(device_id=device.pk, ts=ts, metrics=_metrics(role=device.role, n=n, hour=hour))
                for device in devices
            ]
        readings_ingest(readings=batch)
    elapsed = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE meters_reading")
    connection.set_schema_to_public()
    print(f"loaded {count * len(devices):,} readings in {elapsed:.0f} s")
    return client, devices, token


def _timings(browser: PageClient, url: str) -> tuple[float, float]:
    assert browser.get(url).status_code == 200, url
    times = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        response = browser.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def main() -> None:
    client, devices, token = _site()
    host = client.portal_domain
    staff = PageClient(HTTP_HOST=host)
    staff.force_login(client.users.get())
    anonymous = PageClient(HTTP_HOST=host)
    month = f"{timezone.localdate():%Y-%m}"
    pages = {
        "overview /": (staff, "/"),
        "overview, this year by month": (staff, "/?period=year"),
        "device /devices/<grid>/": (staff, f"/devices/{devices[0].pk}/"),
        "alarms /alarms/": (staff, "/alarms/"),
        f"report /reports/{month}/": (staff, f"/reports/{month}/"),
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
        for name, (browser, url) in pages.items():
            cache.clear()
            p50, p95 = _timings(browser, url)
            print(f"{name:36s} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
    client.delete(force_drop=True)


if __name__ == "__main__":
    main()
