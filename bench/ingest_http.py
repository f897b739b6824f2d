"""HTTP ingestion benchmark: SDM630 readings pushed to POST /api/ingest of a gunicorn on loopback.

Workload: one client with one SDM630 (every metric of the driver's register map), five alarm rules
active on it, batches of 1,000 readings sent with the device's ingest token by two concurrent senders
over keep-alive connections, to gunicorn with two sync workers (this machine has two cores, shared with
the senders and PostgreSQL). The request bodies are made before the clock starts. Prints the workload,
values and readings per second, request latencies, and what was stored.

Environment: BENCH_INGEST_BATCHES (default 60), plus the usual DATABASE_URL / REDIS_URL.
"""

import contextlib
import io
import json
import os
import random
import socket
import statistics
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
os.environ.setdefault("DEBUG", "true")
# The bench measures ingestion, not the throttle.
os.environ["THROTTLE_INGEST"] = "1000000/min"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from alarms.models import AlarmEvent, AlarmRule  # noqa: E402
from meters.config import device_config_clean  # noqa: E402
from meters.drivers.sdm630 import SDM630_INPUT_REGISTERS  # noqa: E402
from meters.services import device_create  # noqa: E402
from tenants.models import Client  # noqa: E402
from tenants.services import client_create  # noqa: E402

SLUG = "bench-http"
BATCHES = int(os.environ.get("BENCH_INGEST_BATCHES", "60"))
WARMUP_BATCHES = 2
READINGS_PER_BATCH = 1000
SENDERS = 2
WORKERS = 2
STEP = timedelta(seconds=30)
METRICS = list(SDM630_INPUT_REGISTERS)
RULES = [
    ("voltage_l1", ">", 133.0),
    ("voltage_l2", "<", 117.0),
    ("power", "<", 0.0),
    ("frequency", ">", 60.1),
    ("thd_voltage_l1", ">", 10.0),
]
# Typical values; the spread makes the voltage and power rules raise and clear now and then.
TYPICAL = {"voltage": (127.0, 4.0), "frequency": (60.0, 0.05), "power": (1500.0, 1200.0), "thd": (3.0, 1.0)}


def float32(value: float) -> float:
    """A meter's float32 register as the driver returns it."""
    return struct.unpack(">f", struct.pack(">f", value))[0]


def reading_values() -> dict[str, float]:
    values = {}
    for name in METRICS:
        mean, spread = next((TYPICAL[k] for k in TYPICAL if name.startswith(k)), (100.0, 50.0))
        values[name] = float32(random.gauss(mean, spread))
    return values


def batch_body(*, first: datetime) -> bytes:
    readings = [
        {"ts": (first + n * STEP).isoformat(), "metrics": reading_values()} for n in range(READINGS_PER_BATCH)
    ]
    return json.dumps(readings).encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(*, port: int, env: dict | None = None, stdout=None) -> subprocess.Popen:
    """gunicorn with WORKERS sync workers on loopback; `env` defaults to this process's environment."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "pieng.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env or os.environ.copy(), stdout=stdout)


def server_wait(*, url: str, host: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/api/health", headers={"Host": host}, timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not up yet, or still booting its workers
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url} within {timeout:g} s")


def bench_client_create() -> tuple[Client, str]:
    for stale in Client.objects.filter(slug=SLUG):
        # Model delete, not a queryset's: only the model's drops the schema.
        stale.delete(force_drop=True)
    # Creating the schema runs every tenant migration, each printing a line: not the benchmark's output.
    with contextlib.redirect_stdout(io.StringIO()):
        client = client_create(name="Benchmark HTTP ingest", slug=SLUG)
    with tenant_context(client):
        config = device_config_clean(
            device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
        )
        # Inactive: the benchmark pushes the readings, nothing polls this meter.
        _, token = device_create(
            fields={"name": "SDM630 bench", "device_type": "modbus_tcp", "config": config, "active": False}
        )
        for metric, operator, threshold in RULES:
            AlarmRule.objects.create(metric=metric, operator=operator, threshold=threshold)
    return client, token


def batches_send(*, url: str, headers: dict, bodies: list[bytes]) -> list[float]:
    """Send the bodies over SENDERS keep-alive connections; the latency of each request, in seconds."""
    chunks = [bodies[index::SENDERS] for index in range(SENDERS)]

    def send(chunk: list[bytes]) -> list[float]:
        latencies = []
        with requests.Session() as session:
            for body in chunk:
                began = time.perf_counter()
                response = session.post(f"{url}/api/ingest", data=body, headers=headers, timeout=120)
                latencies.append(time.perf_counter() - began)
                if response.status_code != 201:
                    raise RuntimeError(f"ingest answered {response.status_code}: {response.text[:300]}")
        return latencies

    with ThreadPoolExecutor(SENDERS) as pool:
        return [latency for latencies in pool.map(send, chunks) for latency in latencies]


def main() -> None:
    call_command("migrate_schemas", shared=True, verbosity=0)
    client, token = bench_client_create()
    host = client.portal_domain
    headers = {"Host": host, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    random.seed(1)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    firsts = [start + index * READINGS_PER_BATCH * STEP for index in range(WARMUP_BATCHES + BATCHES)]
    bodies = [batch_body(first=first) for first in firsts]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = server_start(port=port)
    try:
        server_wait(url=url, host=host)
        # Each worker's first request creates the metric layout and opens its database connection.
        batches_send(url=url, headers=headers, bodies=bodies[:WARMUP_BATCHES])
        began = time.perf_counter()
        latencies = batches_send(url=url, headers=headers, bodies=bodies[WARMUP_BATCHES:])
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    with tenant_context(client):
        with connection.cursor() as cursor:
            cursor.execute('SELECT count(*), sum(cardinality("values")) FROM meters_reading')
            stored_readings, stored_values = cursor.fetchone()
        events = AlarmEvent.objects.count()
    readings = BATCHES * READINGS_PER_BATCH
    values = readings * len(METRICS)
    body_mb = statistics.mean(len(body) for body in bodies) / 1e6
    print("== HTTP ingest ==")
    print(
        f"workload: {BATCHES} batches of {READINGS_PER_BATCH} SDM630 readings x {len(METRICS)} metrics"
        f" ({body_mb:.2f} MB of JSON each), POST /api/ingest with a device token,"
        f" {len(RULES)} alarm rules active, {SENDERS} senders, gunicorn {WORKERS} sync workers on loopback"
    )
    print(f"ingest: {values / elapsed:,.0f} values/s, {readings / elapsed:,.0f} readings/s ({elapsed:.1f} s)")
    print(
        f"request latency: median {statistics.median(latencies) * 1000:.0f} ms,"
        f" max {max(latencies) * 1000:.0f} ms"
    )
    print(f"stored: {stored_readings:,} readings, {stored_values:,} values; alarm events: {events:,}")
    client.delete(force_drop=True)


if __name__ == "__main__":
    main()
