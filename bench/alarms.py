"""Alarm benchmark: what rules cost the ingest, and how long a violation takes to reach a webhook.

Workload (throughput): 20 SDM630s per client; readings stored through the one write path
(`readings_ingest`) as the poller stores them, one reading of 49 metrics per device per poll, all devices
polled 100 times (2,000 single-reading batches), then 20 backlog batches of 500 readings of one device.
Two clients, their batches stored alternately (the load of a shared machine weighs on both alike): one
with 5 threshold rules, one with 50 rules of every kind (20 threshold rules with durations and
hysteresis, 15 offline rules, 15 control rules on baselines of 7 days) and a webhook channel, so the
alarms that fire write their notifications to the outbox in the same transaction. Bar: the 50 rules cost
at most 20 % of the throughput.

Workload (latency): a webhook receiver on loopback, a Celery worker and beat as subprocesses; one
violating reading stored at a time (each raising a fresh alarm; a normal one clears it before the next);
time from handing the reading to `readings_ingest` to the webhook's arrival.

Environment: BENCH_ALARM_POLLS (default 100), BENCH_ALARM_LATENCY_SAMPLES (default 40), plus the usual
DATABASE_URL / REDIS_URL.
"""

import contextlib
import io
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
os.environ.setdefault("DEBUG", "true")
# The latency run's worker takes the drains from a queue of this run's own; every raise is notified.
QUEUE = f"pieng-bench-alarms-{uuid.uuid4().hex[:8]}"
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE
os.environ["ALARM_NOTIFY_COOLDOWN"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from alarms.models import AlarmEvent  # noqa: E402
from alarms.services import alarm_rule_create  # noqa: E402
from meters.drivers.sdm630 import SDM630_INPUT_REGISTERS  # noqa: E402
from meters.models import Device  # noqa: E402
from meters.readings.ingest import ReadingIn, readings_ingest  # noqa: E402
from notifications.services import channel_create  # noqa: E402
from outbox.models import OutboxMessage  # noqa: E402
from tenants.models import Client  # noqa: E402
from tenants.services import client_create  # noqa: E402

FIVE, FIFTY = "5 threshold rules", "50 rules of every kind"
DEVICES = 20
POLLS = int(os.environ.get("BENCH_ALARM_POLLS", "100"))
SAMPLES = int(os.environ.get("BENCH_ALARM_LATENCY_SAMPLES", "40"))
BACKLOG_BATCHES = 20
BACKLOG_READINGS = 500
STEP = timedelta(seconds=30)
METRICS = list(SDM630_INPUT_REGISTERS)
# Typical values: the rules' thresholds are a few spreads away, so alarms fire now and then, as in a plant.
TYPICAL = {"voltage": (127.0, 1.5), "frequency": (60.0, 0.03), "power": (1500.0, 500.0), "thd": (3.0, 1.0)}


def reading_values() -> dict[str, float]:
    values = {}
    for name in METRICS:
        mean, spread = next((TYPICAL[k] for k in TYPICAL if name.startswith(k)), (100.0, 50.0))
        values[name] = random.gauss(mean, spread)
    return values


def bench_client(*, slug: str) -> Client:
    for stale in Client.objects.filter(slug=slug):
        stale.delete(force_drop=True)
    with contextlib.redirect_stdout(io.StringIO()):
        return client_create(name=f"Benchmark {slug}", slug=slug)


def devices_make(*, label: str) -> list[Device]:
    config = {"driver": "sdm630", "host": "127.0.0.1"}
    return [
        Device.objects.create(name=f"{label} {n}", device_type="modbus_tcp", config=config, active=False)
        for n in range(DEVICES)
    ]


def five_threshold_rules() -> None:
    for metric, operator, threshold in [
        ("voltage_l1", ">", 133.0),
        ("voltage_l2", "<", 117.0),
        ("power", "<", 0.0),
        ("frequency", ">", 60.1),
        ("thd_voltage_l1", ">", 10.0),
    ]:
        alarm_rule_create(fields={"metric": metric, "operator": operator, "threshold": threshold})


def fifty_rules_of_every_kind(*, devices: list[Device], start: datetime) -> None:
    phases = ["l1", "l2", "l3"]
    for n in range(20):
        alarm_rule_create(
            fields={
                "metric": f"voltage_{phases[n % 3]}",
                "operator": ">" if n % 2 else "<",
                "threshold": 131.0 + n * 0.2 if n % 2 else 123.0 - n * 0.2,
                "duration_s": 60 * (n % 4),
                "hysteresis": 1.0,
                "severity": ["info", "warning", "critical"][n % 3],
            }
        )
    for n in range(15):
        alarm_rule_create(fields={"kind": "offline", "duration_s": 600, "device": devices[n] if n else None})
    # Baselines: a week of hourly voltages for each control rule's device.
    baseline = [
        ReadingIn(
            device_id=device.pk, ts=start - timedelta(hours=h), metrics={"voltage_l1": random.gauss(127, 2)}
        )
        for device in devices[:15]
        for h in range(1, 7 * 24)
    ]
    readings_ingest(readings=baseline)
    for n in range(15):
        alarm_rule_create(
            fields={"kind": "control", "metric": "voltage_l1", "device": devices[n], "hysteresis": 0.5}
        )
    channel_create(
        fields={
            "name": "bench",
            "kind": "webhook",
            "config": {"url": "http://127.0.0.1:9/", "secret": "bench-secret"},
        }
    )


def batches_make(*, devices: list[Device], start: datetime) -> tuple[list, list]:
    """The poll-like single-reading batches, and the backlog batches of the first device."""
    polls = [
        [ReadingIn(device_id=device.pk, ts=start + n * STEP, metrics=reading_values())]
        for n in range(POLLS)
        for device in devices
    ]
    backlog = [
        [
            ReadingIn(
                device_id=devices[0].pk,
                ts=start + (POLLS + b * BACKLOG_READINGS + n) * STEP,
                metrics=reading_values(),
            )
            for n in range(BACKLOG_READINGS)
        ]
        for b in range(BACKLOG_BATCHES)
    ]
    return polls, backlog


def throughput(clients: dict[str, Client]) -> None:
    """Both set-ups are timed batch by batch, alternately, so that the load of a shared machine weighs on
    both alike."""
    start = datetime.now(UTC) - timedelta(days=1)
    work = {}
    for label, client in clients.items():
        with tenant_context(client):
            devices = devices_make(label=label)
            if label.startswith("5 "):
                five_threshold_rules()
            else:
                fifty_rules_of_every_kind(devices=devices, start=start)
            first = [ReadingIn(device_id=d.pk, ts=start - STEP, metrics=reading_values()) for d in devices]
            readings_ingest(readings=first)
            work[label] = batches_make(devices=devices, start=start)
    elapsed = {label: [0.0, 0.0] for label in clients}
    for part in (0, 1):
        for index in range(len(work[next(iter(work))][part])):
            labels = list(clients) if index % 2 else list(reversed(clients))
            for label in labels:
                with tenant_context(clients[label]):
                    began = time.perf_counter()
                    readings_ingest(readings=work[label][part][index])
                    elapsed[label][part] += time.perf_counter() - began
    print("== alarm rules' cost to ingest ==")
    print(
        f"workload: {DEVICES} SDM630s x {len(METRICS)} metrics, {POLLS} polls each as single-reading batches,"
        f" then {BACKLOG_BATCHES} backlog batches of {BACKLOG_READINGS} readings; readings_ingest in process;"
        " the two set-ups (two clients) alternate batch by batch"
    )
    rates = {}
    for label, client in clients.items():
        with tenant_context(client):
            events = AlarmEvent.objects.count()
        polls, backlog = work[label]
        rates[label] = (len(polls) / elapsed[label][0], len(backlog) * BACKLOG_READINGS / elapsed[label][1])
        polled, backlogged = rates[label]
        print(f"{label}: {polled:,.0f} polls/s, backlog {backlogged:,.0f} readings/s, {events} events")
    base, full = rates[FIVE], rates[FIFTY]
    print(
        f"50 rules vs 5: polls {100 * (1 - full[0] / base[0]):+.1f} % slower,"
        f" backlog {100 * (1 - full[1] / base[1]):+.1f} % slower (bar: at most 20 %)"
    )


class Receiver:
    """A webhook receiver on loopback: when each POST arrived."""

    def __init__(self):
        self.arrivals: list[float] = []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(204)
                self.end_headers()
                with receiver.arrived:
                    receiver.arrivals.append(time.perf_counter())
                    receiver.arrived.notify_all()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float = 60.0) -> float:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.arrivals) >= count, timeout=timeout):
                raise RuntimeError(f"the webhook got {len(self.arrivals)} of {count} deliveries")
            return self.arrivals[count - 1]


def celery_start(*args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "pieng", *args, "--loglevel=WARNING"]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)


def latency(client: Client) -> None:
    receiver = Receiver()
    with tenant_context(client):
        [device] = devices_make(label="latency")[:1]
        alarm_rule_create(fields={"metric": "power", "operator": ">", "threshold": 5000.0, "device": device})
        channel_create(
            fields={
                "name": "bench",
                "kind": "webhook",
                "send_cleared": False,
                "config": {"url": receiver.url, "secret": "bench-secret"},
            }
        )
    # Beat too: its periodic drain delivers what a drain asked for while another held the kind missed.
    services = [
        celery_start("worker", "--pool=threads", "--concurrency=2", "--without-mingle", "--without-gossip"),
        celery_start("beat", "--max-interval=1"),
    ]
    latencies = []
    try:
        with tenant_context(client):
            # The first drain waits for the worker to come up: not part of the figure.
            for n in range(SAMPLES + 1):
                now = datetime.now(UTC)
                began = time.perf_counter()
                readings_ingest(readings=[ReadingIn(device_id=device.pk, ts=now, metrics={"power": 6000.0})])
                arrived = receiver.wait_for(n + 1, timeout=120.0 if n == 0 else 60.0)
                if n:
                    latencies.append(arrived - began)
                later = now + timedelta(milliseconds=1)
                readings_ingest(readings=[ReadingIn(device_id=device.pk, ts=later, metrics={"power": 100.0})])
                time.sleep(0.2)
    finally:
        for process in services:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        receiver.server.shutdown()
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print("== violating reading to webhook ==")
    print(
        f"workload: {SAMPLES} violating readings stored one at a time (readings_ingest), a Celery worker"
        " (threads pool, 2) draining the outbox, beat, a webhook receiver on loopback"
    )
    print(
        f"latency: median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms,"
        f" max {latencies[-1] * 1000:.0f} ms"
    )


def main() -> None:
    call_command("migrate_schemas", shared=True, verbosity=0)
    random.seed(1)
    clients = {FIVE: bench_client(slug="bench-alarms-5"), FIFTY: bench_client(slug="bench-alarms-50")}
    latency_client = bench_client(slug="bench-alarms-latency")
    try:
        throughput(clients)
        # What the throughput run queued for its unreachable webhook is not the latency run's business.
        OutboxMessage.objects.filter(schema_name__in=[c.schema_name for c in clients.values()]).delete()
        latency(latency_client)
    finally:
        for client in [*clients.values(), latency_client]:
            client.delete(force_drop=True)


if __name__ == "__main__":
    main()
