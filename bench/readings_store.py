"""Readings store benchmark: BENCH_DAYS (default 365) of one SDM630's realistic simulated readings every 30 s.

Prints, with the workload:
- write throughput through the one write path (`readings_ingest`, batches of 1,000 readings);
- closing the rollup buckets of the whole history: wall and CPU time per device-day;
- packing every day but the last READINGS_COLD_AFTER into cold chunks, as the daily maintenance does:
  wall and CPU time per device-day, and a packed day read back bit for bit;
- bytes per stored value, all-in (heap, TOAST, indexes), the raw hot readings, the cold chunks and the
  rollups separately; with fewer than 365 days, also a year's projection from the per-day figures;
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

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
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
from meters.readings.chunks import chunks_pack  # noqa: E402
from meters.readings.ingest import ReadingIn, readings_ingest  # noqa: E402
from meters.readings.series import metric_series  # noqa: E402
from tenants.models import Client  # noqa: E402
from tenants.services import client_create  # noqa: E402

DAYS = int(os.environ.get("BENCH_DAYS", "365"))
BATCH = 1000
TZ = "America/Sao_Paulo"
START = datetime(2025, 1, 1, 3, tzinfo=UTC)  # midnight in São Paulo
TABLES = {
    "raw hot readings": ["meters_reading"],
    "cold chunks": ["meters_coldchunk"],
    "rollups": ["meters_energyrollup", "meters_metricrollup", "meters_rollupstate"],
}
YEAR = 365


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
    hot_days = min(settings.READINGS_COLD_AFTER.days, DAYS)
    wall, cpu = time.perf_counter(), time.process_time()
    packed = chunks_pack(device_id=device.pk, before=START + timedelta(days=DAYS - hot_days))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"packed {packed.days} device-days ({packed.readings:,} readings) into cold chunks:"
        f" {wall / max(packed.days, 1) * 1000:.0f} ms wall, {cpu / max(packed.days, 1) * 1000:.0f} ms CPU"
        " of this process per device-day"
    )
    _packed_day_check(device=device, days=days)
    _sizes_print(values=values, cold_values=packed.readings * len(names), metrics=len(names))
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


def _packed_day_check(*, device: Device, days: list) -> None:
    times, names, matrix = days[0]
    for index, name in enumerate(names):
        points = metric_series(
            device_id=device.pk, metric=name, start=times[0], end=times[-1] + timedelta(seconds=1)
        )
        assert [ts for ts, _ in points] == times, name
        assert np.array([value for _, value in points]).tobytes() == matrix[:, index].tobytes(), name
    print(f"the first packed day reads back bit for bit ({len(names)} metrics x {len(times):,} readings)")


def _sizes_print(*, values: int, cold_values: int, metrics: int) -> None:
    total, sizes = 0, {}
    with connection.cursor() as cursor:
        for part, tables in TABLES.items():
            heap = toast = indexes = 0
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
                if table == "meters_reading":
                    # The hot table keeps a few days in service: its pages freed by packing are reused by the
                    # next days' readings, so it is measured as a copy of its live rows (VACUUM FULL keeps
                    # dead rows while any other session of the shared server holds an older snapshot).
                    cursor.execute("DROP TABLE IF EXISTS bench_hot_copy")
                    cursor.execute("CREATE TABLE bench_hot_copy (LIKE meters_reading INCLUDING ALL)")
                    cursor.execute("INSERT INTO bench_hot_copy SELECT * FROM meters_reading")
                    cursor.execute("VACUUM ANALYZE bench_hot_copy")
                    table = "bench_hot_copy"
                cursor.execute(
                    "SELECT pg_relation_size(%s), pg_total_relation_size(%s) - pg_relation_size(%s)"
                    " - pg_indexes_size(%s), pg_indexes_size(%s)",
                    [table] * 5,
                )
                part_sizes = cursor.fetchone()
                heap, toast, indexes = heap + part_sizes[0], toast + part_sizes[1], indexes + part_sizes[2]
            sizes[part] = heap + toast + indexes
            total += sizes[part]
            print(
                f"size of the {part}: {sizes[part]:,} bytes (heap {heap:,}, TOAST {toast:,},"
                f" indexes {indexes:,}) = {sizes[part] / values:.2f} bytes/value of the whole store"
            )
    print(f"size all-in: {total:,} bytes = {total / values:.2f} bytes/value over {values:,} values")
    hot_values = values - cold_values
    hot = sizes["raw hot readings"] / hot_values if hot_values else 0.0
    cold = sizes["cold chunks"] / cold_values if cold_values else 0.0
    rollups = sizes["rollups"] / values
    print(
        f"per value of the part: hot {hot:.2f} ({hot_values:,} values), cold {cold:.2f} ({cold_values:,}),"
        f" rollups {rollups:.2f} bytes/value"
    )
    if DAYS < YEAR:
        # This run's figures per value, scaled to a year with the same hot values: the hot table and each
        # chunk's size depend on the readings they hold, not on how many days the store holds.
        year_values = values / DAYS * YEAR
        year = hot * hot_values + cold * (year_values - hot_values) + rollups * year_values
        print(f"a year projected from these {DAYS} days: {year / year_values:.2f} bytes/value all-in")


def _views_print(*, device: Device) -> None:
    end = START + timedelta(days=DAYS)
    month = max(end - timedelta(days=30), START)
    day = end - timedelta(days=1)
    packed_day = max(end - timedelta(days=10), START)
    packed_day_end = packed_day + timedelta(days=1)

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
        (
            "a packed day's series of power_l2 (ten days back)",
            lambda: metric_series(
                device_id=device.pk, metric="power_l2", start=packed_day, end=packed_day_end
            ),
            lambda: metric_series(
                device_id=device.pk, metric="power_l2", start=packed_day, end=packed_day_end
            ),
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
