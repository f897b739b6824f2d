"""Readings store benchmark: one simulated year of SDM630 readings (40 metrics every 30 s) of one meter.

Prints bytes per stored value all-in (table, TOAST, indexes), rows per second written through the one
write path (`readings_ingest`, batches of 1,000 readings), and the time to read back one day of one metric.
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.db import connection  # noqa: E402

from meters.models import Device  # noqa: E402
from meters.readings.ingest import ReadingIn, readings_ingest  # noqa: E402
from meters.readings.series import metric_series  # noqa: E402
from tenants.models import Client  # noqa: E402
from tenants.services import client_create  # noqa: E402

METRICS = [
    *(
        f"{quantity}_l{phase}"
        for quantity in (
            "voltage",
            "current",
            "power",
            "apparent_power",
            "reactive_power",
            "power_factor",
            "phase_angle",
            "thd_voltage",
            "thd_current",
            "energy_import",
            "energy_export",
        )
        for phase in (1, 2, 3)
    ),
    "power",
    "apparent_power",
    "reactive_power",
    "power_factor",
    "frequency",
    "energy_import",
    "energy_export",
]
assert len(METRICS) == 40
STEP = timedelta(seconds=30)
DAYS = int(os.environ.get("BENCH_DAYS", "365"))
BATCH = 1000


def main() -> None:
    for stale in Client.objects.filter(slug="bench-store"):
        stale.delete(force_drop=True)
    client = client_create(name="Benchmark store", slug="bench-store")
    connection.set_tenant(client)
    device = Device.objects.create(
        name="SDM630 bench", device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
    )
    start = datetime(2025, 1, 1, tzinfo=UTC)
    count = DAYS * 24 * 120
    random.seed(1)
    written = 0
    began = time.perf_counter()
    while written < count:
        batch = [
            ReadingIn(
                device_id=device.pk,
                ts=start + (written + i) * STEP,
                metrics={name: random.uniform(0, 400) for name in METRICS},
            )
            for i in range(min(BATCH, count - written))
        ]
        readings_ingest(readings=batch)
        written += len(batch)
    elapsed = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE meters_reading")
        cursor.execute(
            "SELECT pg_total_relation_size('meters_reading'), pg_relation_size('meters_reading'),"
            " pg_indexes_size('meters_reading')"
        )
        total, heap, indexes = cursor.fetchone()
    values = count * len(METRICS)
    read_times = []
    for day in random.sample(range(DAYS), min(DAYS, 30)):
        day_start = start + timedelta(days=day)
        t0 = time.perf_counter()
        points = metric_series(
            device_id=device.pk, metric="power_l2", start=day_start, end=day_start + timedelta(days=1)
        )
        read_times.append((time.perf_counter() - t0) * 1000)
        assert len(points) == 2880, len(points)
    print("== readings store ==")
    print(f"workload: 1 SDM630, {len(METRICS)} metrics every 30 s for {DAYS} days")
    print(f"  = {count:,} readings, {values:,} values, written by readings_ingest in batches of {BATCH}")
    print(f"write: {count / elapsed:,.0f} rows/s, {values / elapsed:,.0f} values/s")
    print(f"size: {total:,} bytes all-in (heap {heap:,}, indexes {indexes:,})")
    print(f"  = {total / values:.2f} bytes/value")
    print(
        f"read one day of one metric (2,880 points), 30 random days:"
        f" median {statistics.median(read_times):.1f} ms, max {max(read_times):.1f} ms"
    )
    connection.set_schema_to_public()
    client.delete(force_drop=True)


if __name__ == "__main__":
    main()
