"""Polling benchmark: how many simulated SDM630s one machine polls every 30 s, through the real pipeline.

Workload: BENCH_METERS SDM630s (default 1,000), 10 per simulated EW11 gateway in transparent mode
(RTU over TCP, the default 50 ms gap), each scheduled every 30 s by django-celery-beat. Celery beat and
BENCH_POLL_WORKERS worker processes (pool BENCH_POLL_POOL, BENCH_POLL_CONCURRENCY each) run as in
production; the simulators run in a process of their own on the same machine. After every meter has been
read once and one more cycle has passed, it watches BENCH_CYCLES cycles (default 5) and prints readings
and values stored per second, the gaps between a meter's successive readings (a gap over 45 s is a missed
poll), the CPU time per poll of each process group (beat, workers, PostgreSQL, Redis, simulators), the
transactions that overlapped on a simulated bus (must be 0), and a profile of one worker's poll by phase
(BENCH_PROFILE_POLLS polls run in this process after the watch, the services stopped).
"""

import itertools
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import psutil

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

METERS = int(os.environ.get("BENCH_METERS", "1000"))
CYCLES = int(os.environ.get("BENCH_CYCLES", "5"))
PROFILE_POLLS = int(os.environ.get("BENCH_PROFILE_POLLS", "300"))
WORKERS = int(os.environ.get("BENCH_POLL_WORKERS", "2"))
POOL = os.environ.get("BENCH_POLL_POOL", "threads")
CONCURRENCY = int(os.environ.get("BENCH_POLL_CONCURRENCY", "16"))
PER_GATEWAY = 10
INTERVAL_S = 30
MISSED_GAP_S = 1.5 * INTERVAL_S
BAR_METERS = 5000
BAR_CPU_MS = 4.0
BAR_P99_S = 33.0
PLATFORM = ("beat", "workers", "postgres", "redis")
PROFILE_PHASES = (
    "task overhead",
    "device_load",
    "locks",
    "wire",
    "decode",
    "store",
    "alarms",
    "status",
    "outbox",
)
CLIENT_SLUG = "bench-polling"


@dataclass(frozen=True)
class Figures:
    window_s: float
    readings: int
    values: int
    gaps: list[float]
    missed: int
    cpu_s: dict[str, float]
    busy_s: float
    overlaps: list[int] | None = None
    profile: dict[str, float] | None = None


def simulators_serve(gateways: int) -> None:
    """The child process: `gateways` EW11s until stdin closes; prints their ports as one JSON line."""
    from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator

    site = SiteModel(seed=11)
    servers = [
        TcpSimulator(
            bus=Bus(slaves=[Sdm630Simulator(site=site, slave_id=n) for n in range(1, PER_GATEWAY + 1)]),
            framer="rtu",
        ).start()
        for _ in range(gateways)
    ]
    print(json.dumps([server.port for server in servers]), flush=True)
    sys.stdin.readline()
    # Asked for once the services are stopped: the overlapping transactions of each bus.
    print(json.dumps([server.bus.overlaps for server in servers]), flush=True)
    sys.stdin.read()
    for server in servers:
        server.stop()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
    # As in production: DEBUG on would have every process keep each SQL statement it runs. The simulated
    # meters listen on loopback, which only DEBUG allows by default.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DEVICE_ALLOW_LOOPBACK", "true")
    os.environ.setdefault("SECRET_KEY", f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}")
    import django

    django.setup()
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenants.models import Client
    from tenants.services import client_create

    Client.objects.filter(slug=CLIENT_SLUG).delete()
    client = client_create(name="Benchmark polling", slug=CLIENT_SLUG)
    simulators = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(-(-METERS // PER_GATEWAY))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    services: list[subprocess.Popen] = []
    try:
        ports = json.loads(simulators.stdout.readline())
        with tenant_context(client):
            registered_s = _devices_register(ports=ports)
            services = _services_start()
            first_s = _first_readings_wait(connection=connection, timeout=3 * INTERVAL_S)
            time.sleep(INTERVAL_S)  # every meter past its first poll before the watch starts
            figures = _watch(connection=connection, services=services, simulators=simulators)
            for process in services:
                _stop(process)
            simulators.stdin.write("\n")
            simulators.stdin.flush()
            figures = replace(figures, overlaps=json.loads(simulators.stdout.readline()))
            figures = replace(figures, profile=_profile(schema=client.schema_name))
    finally:
        for process in services:
            _stop(process)
        simulators.stdin.close()
        _stop(simulators)
        connection.set_schema_to_public()
        Client.objects.filter(pk=client.pk).delete()
    _report(registered_s=registered_s, first_s=first_s, figures=figures)


def _devices_register(*, ports: list[int]) -> float:
    """Create the devices (their schedules come with them); returns the seconds it took."""
    from meters.config import device_config_clean
    from meters.models import Device

    began = time.perf_counter()
    for index in range(METERS):
        config = {
            "driver": "sdm630",
            "host": "127.0.0.1",
            "port": ports[index // PER_GATEWAY],
            "framer": "rtu",
            "slave_id": index % PER_GATEWAY + 1,
            "poll_interval": INTERVAL_S,
        }
        Device.objects.create(
            name=f"bench {index}",
            device_type="modbus_tcp",
            config=device_config_clean(device_type="modbus_tcp", config=config),
        )
    return time.perf_counter() - began


def _services_start() -> list[subprocess.Popen]:
    """The workers, then beat (last), on a queue of their own."""
    queue = f"pieng-bench-{uuid.uuid4().hex[:8]}"
    env = os.environ | {"CELERY_TASK_DEFAULT_QUEUE": queue, "LOG_LEVEL": "WARNING"}
    celery = [sys.executable, "-m", "celery", "-A", "pieng"]
    worker = [
        "worker",
        f"--pool={POOL}",
        f"--concurrency={CONCURRENCY}",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=WARNING",
    ]
    workers = [
        subprocess.Popen([*celery, *worker, f"--hostname=bench{n}-{queue}@%h"], cwd=BASE_DIR, env=env)
        for n in range(WORKERS)
    ]
    beat = subprocess.Popen([*celery, "beat", "--loglevel=WARNING"], cwd=BASE_DIR, env=env)
    return [*workers, beat]


def _profile(*, schema: str) -> dict[str, float]:
    """CPU ms per phase of one poll in this process (the phases as the poll measures them; task overhead
    is what running it as a Celery task adds)."""
    from meters.models import Device
    from meters.polling.poll import device_poll_by_id
    from meters.polling.tasks import poll_device
    from pieng.celery import search_path_once

    search_path_once()  # as in a worker
    ids = list(Device.objects.order_by("pk").values_list("pk", flat=True)[:PROFILE_POLLS])
    phases: dict[str, float] = {}
    for device_id in ids:
        outcome = device_poll_by_id(device_id=device_id)
        for phase, seconds in outcome.cpu.items():
            phases[phase] = phases.get(phase, 0.0) + seconds
    began = time.thread_time()
    for device_id in ids:
        poll_device.apply(kwargs={"device_id": device_id}, headers={"_schema_name": schema})
    as_task = (time.thread_time() - began) / len(ids)
    profile = {phase: 1000 * seconds / len(ids) for phase, seconds in phases.items()}
    profile["task overhead"] = max(0.0, 1000 * as_task - sum(profile.values()))
    return profile


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _first_readings_wait(*, connection, timeout: float) -> float:
    """Seconds until every meter has its first reading."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT device_id) FROM meters_reading")
            if cursor.fetchone()[0] >= METERS:
                break
        time.sleep(1)
    return time.perf_counter() - began


def _watch(*, connection, services: list[subprocess.Popen], simulators: subprocess.Popen) -> Figures:
    from django.utils import timezone

    database = connection.settings_dict["NAME"]

    def groups() -> dict[str, list[psutil.Process]]:
        return {
            "workers": [psutil.Process(process.pid) for process in services[:-1]],
            "beat": [psutil.Process(services[-1].pid)],
            "simulators": [psutil.Process(simulators.pid)],
            # The backends serving this database (as they are now: a new one counts whole); the server's
            # other clients are not this benchmark's.
            "postgres": [
                p
                for p in psutil.process_iter(["name", "cmdline"])
                if p.info["name"] == "postgres" and database in " ".join(p.info["cmdline"] or [])
            ],
            "redis": [p for p in psutil.process_iter(["name"]) if "redis" in (p.info["name"] or "")],
        }

    cpu_before, busy_before = _cpu_seconds(groups()), _busy_seconds()
    start = timezone.now()
    time.sleep(CYCLES * INTERVAL_S)
    end = timezone.now()
    cpu_after, busy_after = _cpu_seconds(groups()), _busy_seconds()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(extract(epoch FROM ts) ORDER BY ts) FROM meters_reading"
            " WHERE ts >= %s AND ts < %s GROUP BY device_id",
            [start - (end - start) / CYCLES, end],
        )
        series = [times for (times,) in cursor.fetchall()]
        cursor.execute(
            'SELECT count(*), coalesce(sum(array_length("values", 1)), 0) FROM meters_reading'
            " WHERE ts >= %s AND ts < %s",
            [start, end],
        )
        readings, values = cursor.fetchone()
    gaps = [
        later - earlier
        for times in series
        for earlier, later in itertools.pairwise(times)
        if later >= start.timestamp()
    ]
    return Figures(
        window_s=(end - start).total_seconds(),
        readings=readings,
        values=values,
        gaps=sorted(gaps),
        missed=sum(gap > MISSED_GAP_S for gap in gaps) + METERS - len(series),
        cpu_s={name: _cpu_spent(cpu_before[name], cpu_after[name]) for name in cpu_after},
        busy_s=busy_after - busy_before,
    )


def _cpu_seconds(groups: dict[str, list[psutil.Process]]) -> dict[str, dict[int, float]]:
    """CPU seconds so far of each process of each group (children included), by process id."""
    totals: dict[str, dict[int, float]] = {}
    for name, processes in groups.items():
        totals[name] = {}
        for process in processes:
            try:
                for member in [process, *process.children(recursive=True)]:
                    totals[name][member.pid] = sum(member.cpu_times()[:2])
            except psutil.Error:
                continue  # ended since
    return totals


def _cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two counts: processes that started since count whole; those that ended
    since are lost (the database backends of the services live as long as they do)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + times.irq + times.softirq


def _report(*, registered_s: float, first_s: float, figures: Figures) -> None:
    cores = psutil.cpu_count()
    window, gaps = figures.window_s, figures.gaps
    print("== polling ==")
    print(
        f"workload: {METERS} simulated SDM630s, {PER_GATEWAY} per simulated EW11 (RTU over TCP, gap 50 ms),"
        f" every {INTERVAL_S} s"
    )
    print(
        f"  beat + {WORKERS} worker process(es) (pool {POOL}, concurrency {CONCURRENCY});"
        f" {cores} CPU cores shared with the simulators; watched {CYCLES} cycles ({window:.0f} s)"
    )
    print(
        f"setup: {METERS} devices and their schedules registered in {registered_s:.1f} s;"
        f" every meter read once {first_s:.1f} s after the services started"
    )
    print(
        f"stored: {figures.readings:,} readings ({figures.readings / window:,.1f}/s),"
        f" {figures.values:,} values ({figures.values / window:,.0f}/s)"
    )
    if gaps:
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        print(
            f"gap between a meter's readings: median {statistics.median(gaps):.1f} s, p99 {p99:.1f} s,"
            f" max {gaps[-1]:.1f} s"
        )
    print(f"missed polls (a gap over {MISSED_GAP_S:.0f} s, or no reading at all): {figures.missed}")
    shares = ", ".join(f"{name} {100 * seconds / window:.0f}%" for name, seconds in figures.cpu_s.items())
    busy = 100 * figures.busy_s / (window * cores)
    print(f"CPU: machine {busy:.0f}% busy of {cores} cores; by process group, of one core: {shares}")
    polls = max(figures.readings, 1)
    per_poll = {name: 1000 * seconds / polls for name, seconds in figures.cpu_s.items()}
    platform = sum(per_poll[name] for name in PLATFORM)
    print(
        "CPU per poll (ms): "
        + ", ".join(f"{name} {ms:.2f}" for name, ms in per_poll.items())
        + f"; platform (beat + workers + PostgreSQL + Redis) {platform:.2f}"
    )
    overlaps = figures.overlaps or []
    print(
        f"bus collisions: {sum(overlaps)} overlapping transactions on {len(overlaps)} simulated buses"
        f" (worst bus {max(overlaps, default=0)})"
    )
    if figures.profile:
        profile = figures.profile
        print(
            f"one worker's poll by phase, CPU ms (mean of {PROFILE_POLLS} polls in-process): "
            + ", ".join(f"{phase} {profile.get(phase, 0.0):.2f}" for phase in PROFILE_PHASES)
            + f"; total {sum(profile.values()):.2f}"
        )
    p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))] if gaps else float("inf")
    met = (
        METERS >= BAR_METERS
        and figures.missed == 0
        and p99 <= BAR_P99_S
        and platform <= BAR_CPU_MS
        and not sum(overlaps)
    )
    print(
        f"bar ({BAR_METERS:,} meters per 30-s cycle, no missed poll, spacing p99 <= {BAR_P99_S:g} s,"
        f" <= {BAR_CPU_MS:g} ms platform CPU per poll, 0 collisions): {'met' if met else 'NOT met'}"
        f" with {METERS:,} meters"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        simulators_serve(int(sys.argv[2]))
    else:
        main()
