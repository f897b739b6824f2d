"""Readings store benchmark: BENCH_DAYS (default 365) of one SDM630's realistic simulated readings every 30 s.

Prints, with the workload:
- write throughput through the one write path (`readings_ingest`, batches of 1,000 readings);
- bytes per stored value, all-in, the readings (heap, TOAST, indexes) and the rollups separately;
- closing the rollup buckets of the whole history: wall and CPU time per device-day;
- the long-range views through the selectors the API and the portal call, p95 over repeated calls,
  before (computed from the readings, as the views did before the rollups) and after: energy by month
  over the last year, energy by day over the last month, the last month's voltage summary, a day's series.
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

from django.db import connection  # noqa: E402

from analytics.energy import energy_per_period  # noqa: E402
from analytics.rollups import rollups_close  # noqa: E402
from analytics.selectors import (  # noqa: E402
    device_energy_periods,
    device_metric_summary,
    energy_series_all,
)
from analytics.stats import series_summary  # noqa: E402
from bench.readings_data import READINGS_PER_DAY, sdm630_days  # noqa: E402
from meters.models import Device  # noqa: E402
from meters.readings.ingest import ReadingIn, readings_ingest  # noqa: E402
from meters.readings.series import metric_series  # noqa: E402
from tenants.models import Client  # noqa: E402
from tenants.services import client_create  # noqa: E402

DAYS = int(os.environ.get("BENCH_DAYS", "365"))
BATCH = 1000
TZ = "America/Sao_Paulo"
START = datetime(2025, 1, 1, 3, tzinfo=UTC)  # midnight in São Paulo
TABLES = {
    "readings": ["meters_reading"],
    "rollups": ["meters_energyrollup", "meters_metricrollup", "meters_rollupstate"],
}


def main() -> None:
    for stale in Client.objects.filter(slug="bench-store"):
        stale.delete(force_drop=True)
    client = client_create(name="Benchmark store", slug="bench-store")
    connection.set_tenant(client)
    device = Device.objects.create(
        name="SDM630 bench", device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
    )
    print("== readings store ==")
    began = time.perf_counter()
    days = list(sdm630_days(start=START, days=DAYS))
    names = days[0][1]
    print(f"workload: 1 SDM630, {len(names)} metrics every 30 s for {DAYS} days (simulated in", end=" ")
    print(f"{time.perf_counter() - began:.0f} s), stored by readings_ingest in batches of {BATCH}")
    count, values = DAYS * READINGS_PER_DAY, DAYS * READINGS_PER_DAY * len(names)
    write_s = _readings_write(device=device, days=days)
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load; the planner needs it to find the day's readings by index.
        cursor.execute("ANALYZE meters_reading")
    print(f"write: {count / write_s:,.0f} rows/s, {values / write_s:,.0f} values/s ({count:,} readings)")

    wall, cpu = time.perf_counter(), time.process_time()
    rollups_close(device_id=device.pk, until=START + timedelta(days=DAYS))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"rollups closed for {DAYS} device-days: {wall / DAYS * 1000:.0f} ms wall,"
        f" {cpu / DAYS * 1000:.0f} ms CPU of this process per device-day"
    )
    _sizes_print(values=values)
    _views_print(device=device)
    connection.set_schema_to_public()
    client.delete(force_drop=True)


def _readings_write(*, device: Device, days: list) -> float:
    elapsed = 0.0
    for times, names, matrix in days:
        readings = [
            ReadingIn(device_id=device.pk, ts=ts, metrics=dict(zip(names, row, strict=True)))
            for ts, row in zip(times, matrix.tolist(), strict=True)
        ]
        for first in range(0, len(readings), BATCH):
            began = time.perf_counter()
            readings_ingest(readings=readings[first : first + BATCH])
            elapsed += time.perf_counter() - began
    return elapsed


def _sizes_print(*, values: int) -> None:
    total = 0
    with connection.cursor() as cursor:
        for part, tables in TABLES.items():
            heap = toast = indexes = 0
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
                cursor.execute(
                    "SELECT pg_relation_size(%s), pg_total_relation_size(%s) - pg_relation_size(%s)"
                    " - pg_indexes_size(%s), pg_indexes_size(%s)",
                    [table] * 5,
                )
                sizes = cursor.fetchone()
                heap, toast, indexes = heap + sizes[0], toast + sizes[1], indexes + sizes[2]
            part_total = heap + toast + indexes
            total += part_total
            print(
                f"size of the {part}: {part_total:,} bytes (heap {heap:,}, TOAST {toast:,},"
                f" indexes {indexes:,}) = {part_total / values:.2f} bytes/value"
            )
    print(f"size all-in: {total:,} bytes = {total / values:.2f} bytes/value over {values:,} values")


def _views_print(*, device: Device) -> None:
    end = START + timedelta(days=DAYS)
    month = max(end - timedelta(days=30), START)
    day = end - timedelta(days=1)

    def energy_before(interval: str, start: datetime) -> list:
        series = energy_series_all(device_id=device.pk, start=start, end=end)
        return energy_per_period(interval=interval, tz=TZ, start=start, end=end, **series)

    def summary_before() -> dict:
        points = metric_series(device_id=device.pk, metric="voltage_l1", start=month, end=end)
        return series_summary(values=[value for _, value in points], lsl=117.0, usl=133.0)

    views: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            f"energy by month over {DAYS} days",
            lambda: energy_before("month", START),
            lambda: device_energy_periods(
                device=device, interval="month", time_zone=TZ, start=START, end=end
            ),
        ),
        (
            f"energy by day over {(end - month).days} days",
            lambda: energy_before("day", month),
            lambda: device_energy_periods(device=device, interval="day", time_zone=TZ, start=month, end=end),
        ),
        (
            f"voltage_l1 summary over {(end - month).days} days",
            summary_before,
            lambda: device_metric_summary(
                device=device, metric="voltage_l1", start=month, end=end, lsl=117.0, usl=133.0
            ),
        ),
        (
            "a day's series of power_l2",
            lambda: metric_series(device_id=device.pk, metric="power_l2", start=day, end=end),
            lambda: metric_series(device_id=device.pk, metric="power_l2", start=day, end=end),
        ),
    ]
    print("views through the selectors, before (from the readings) -> after; p95 / median ms:")
    for name, before, after in views:
        old, new = _timings(before, repeat=5), _timings(after, repeat=20)
        print(f"  {name}: {_p95(old):,.1f} / {statistics.median(old):,.1f} -> ", end="")
        print(f"{_p95(new):,.1f} / {statistics.median(new):,.1f}")


def _timings(view: Callable[[], object], *, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        view()
        times.append((time.perf_counter() - began) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


if __name__ == "__main__":
    main()
