"""Forwarding benchmark: a master's outbox backlog drained to a slave platform over loopback.

Workload: the backlog one day leaves when the slave is unreachable: 100 SDM630s polled every 30 s (2,880
readings each, 288,000 readings; every metric of the driver's register map), one outbox message per poll
as the master's ingest writes them. The slave is a gunicorn (2 sync workers) on its own database on the
same PostgreSQL; its mirror client and the 100 mirror devices are created by a warm-up batch before the
clock starts. The master drains in this process with the outbox's own `outbox_drain` (what the Celery
task runs), in batches of FORWARD_BATCH_READINGS (default 5,000). Prints time to drain, readings/s,
values/s, the slave's ingest CPU per 1,000 readings (its gunicorn workers plus its PostgreSQL
backends) and the master's drain CPU per 1,000 readings (this process plus its PostgreSQL backend).

Environment: BENCH_FORWARD_DEVICES (default 100), BENCH_FORWARD_READINGS_PER_DEVICE (default 2,880), plus
the usual DATABASE_URL / REDIS_URL. Bar: 120,000 readings (a one-hour outage of 1,000 meters) in < 2 min.
"""

import gc
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.ingest_http import WORKERS, float32, free_port, server_start, server_wait  # noqa: E402
from forwarding.delivery import FORWARD_KIND, forward_deliver  # noqa: E402
from meters.drivers.sdm630 import SDM630_INPUT_REGISTERS  # noqa: E402
from outbox.models import OutboxMessage  # noqa: E402
from outbox.services import outbox_drain  # noqa: E402

DEVICES = int(os.environ.get("BENCH_FORWARD_DEVICES", "100"))
PER_DEVICE = int(os.environ.get("BENCH_FORWARD_READINGS_PER_DEVICE", "2880"))
STEP = timedelta(seconds=30)
METRICS = list(SDM630_INPUT_REGISTERS)
SLUG = "bench-forward"
BAR_READINGS, BAR_SECONDS = 120_000, 120.0


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(settings.DATABASE_URL)._replace(path="/" + name))


def slave_database_make() -> tuple[str, str]:
    """A fresh database for the slave, its platform schema and a link; returns (name, link token)."""
    name = f"{connection.settings_dict['NAME']}_bench_slave"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = os.environ | {"DATABASE_URL": database_url(name), "PIENG_DEMO": "false"}
    script = (
        "from django.core.management import call_command; "
        "call_command('migrate_schemas', shared=True, verbosity=0); call_command('demo_seed'); "
        "from forwarding.services import link_create; print(link_create(name='bench master')[1])"
    )
    made = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return name, made.stdout.strip().splitlines()[-1]


def slave_database_drop(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backlog_make() -> int:
    """One message per poll, in poll order (time, then device), as the master's ingest writes them."""
    random.seed(1)
    devices = [
        {
            "uuid": str(uuid.UUID(int=n + 1)),
            "name": f"SDM630 {n + 1:03d}",
            "device_type": "modbus_tcp",
            "role": "grid",
            "nominal_voltage": 220,
        }
        for n in range(DEVICES)
    ]
    client = {"slug": SLUG, "name": "Benchmark forwarding", "time_zone": "America/Sao_Paulo"}
    start = datetime(2025, 1, 1, tzinfo=UTC)
    made = 0
    batch = []
    for step in range(PER_DEVICE):
        ts = (start + step * STEP).isoformat()
        for device in devices:
            metrics = {name: float32(random.gauss(127.0, 20.0)) for name in METRICS}
            payload = {"client": client, "devices": [device | {"readings": [{"ts": ts, "metrics": metrics}]}]}
            batch.append(
                OutboxMessage(kind=FORWARD_KIND, schema_name="client_bench_forward", payload=payload)
            )
        if len(batch) >= 10_000:
            OutboxMessage.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    OutboxMessage.objects.bulk_create(batch)
    return made + len(batch)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of processes, from /proc (clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def slave_pids(*, server: subprocess.Popen, database: str) -> list[int]:
    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        backends = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]).fetchall()
    return [server.pid, *map(int, workers), *(pid for (pid,) in backends)]


def main() -> None:
    call_command("migrate_schemas", shared=True, verbosity=0)
    OutboxMessage.objects.filter(kind=FORWARD_KIND).delete()
    slave_db, token = slave_database_make()
    port = free_port()
    env = os.environ | {"DATABASE_URL": database_url(slave_db), "PIENG_DEMO": "false"}
    # The mirror client's schema migrations print a line each: not the benchmark's output.
    server = server_start(port=port, env=env, stdout=subprocess.DEVNULL)
    try:
        server_wait(url=f"http://127.0.0.1:{port}", host="localhost", timeout=180)
        made_began = time.perf_counter()
        readings = backlog_make()
        # The hour or day a real backlog takes to build up lets autovacuum analyze the table; a server with
        # autovacuum off (this development machine's) would plan the drain's queries for an empty outbox.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE outbox_outboxmessage")
        made_s = time.perf_counter() - made_began
        with override_settings(FORWARDER_URL=f"http://localhost:{port}", FORWARDER_TOKEN=token):
            # Warm-up: the first poll of every device creates the mirror client and devices on the slave.
            warm = list(OutboxMessage.objects.filter(kind=FORWARD_KIND).order_by("id")[:DEVICES])
            delivered = forward_deliver(warm).delivered
            OutboxMessage.objects.filter(pk__in=delivered).update(state=OutboxMessage.State.DELIVERED)
            # As the Celery worker does once ready (pieng/celery.py).
            gc.freeze()
            pids = slave_pids(server=server, database=slave_db)
            master_pids = [os.getpid(), connection.connection.info.backend_pid]
            cpu_before, master_cpu_before = cpu_seconds(pids), cpu_seconds(master_pids)
            began = time.perf_counter()
            # Runs of the worker's budget, each starting from the oldest pending message, as the worker's.
            while outbox_drain(kind=FORWARD_KIND) > 0:
                pass
            elapsed = time.perf_counter() - began
            cpu, master_cpu = cpu_seconds(pids) - cpu_before, cpu_seconds(master_pids) - master_cpu_before
        left = (
            OutboxMessage.objects.filter(kind=FORWARD_KIND)
            .exclude(state=OutboxMessage.State.DELIVERED)
            .count()
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    with psycopg.connect(database_url(slave_db)) as slave:
        stored = slave.execute(
            f'SELECT count(*) FROM "client_{SLUG.replace("-", "_")}".meters_reading'
        ).fetchone()[0]
    OutboxMessage.objects.filter(kind=FORWARD_KIND).delete()
    slave_database_drop(slave_db)

    drained = readings - len(warm)
    values = drained * len(METRICS)
    rate = drained / elapsed
    print("== forwarding: outbox backlog drained master -> slave ==")
    print(
        f"workload: {DEVICES} SDM630s x {PER_DEVICE} polls (30 s apart) = {readings:,} readings"
        f" x {len(METRICS)} metrics, one outbox message each (made in {made_s:.0f} s);"
        f" batches of {settings.FORWARD_BATCH_READINGS:,} readings;"
        f" slave gunicorn {WORKERS} sync workers, own database, on loopback"
    )
    print(
        f"drain: {drained:,} readings in {elapsed:.1f} s:"
        f" {rate:,.0f} readings/s, {values / elapsed:,.0f} values/s"
    )
    print(
        f"slave ingest CPU: {cpu / drained * 1000 * 1000:.0f} ms per 1,000 readings (gunicorn + PostgreSQL);"
        f" master drain CPU: {master_cpu / drained * 1000 * 1000:.0f} ms per 1,000 readings"
        " (this process + its PostgreSQL backend)"
    )
    print(f"stored on the slave: {stored:,} readings; left undelivered: {left}")
    print(
        f"bar: {BAR_READINGS:,} readings in {BAR_READINGS / rate:.0f} s at this rate"
        f" ({'meets' if BAR_READINGS / rate < BAR_SECONDS else 'MISSES'} < {BAR_SECONDS:.0f} s)"
    )


if __name__ == "__main__":
    main()
