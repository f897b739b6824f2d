"""Real services for the pipeline tests: a Celery worker (prefork, three processes) and beat as
subprocesses, the machine's Redis (on a queue of this test run's own, so that no other worker, such as
another test run's, takes its tasks), and simulated meters on loopback.

A worker in another process sees committed rows only, and a transactional test's flush would empty the
public tables (every client of the session with them). So these tests write for real, through
`django_db_blocker`, in two clients of their own, created for this package and dropped, schema and all,
after its last test. The session's `acme` and `globex` are not touched.
"""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from meters.models import Device, Reading
from meters.polling.tasks import poll_device
from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator
from pieng.celery import app as celery_app
from tenants.models import Client
from tenants.services import client_create
from tests.helpers.waiting import wait_until

BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_PROCESSES = 3
START_TIMEOUT_S = 60.0


@pytest.fixture(scope="package")
def pipeline_clients(django_db_setup, django_db_blocker) -> Iterator[tuple[Client, Client]]:
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        clients = (
            client_create(name="Pipeline A", slug="pipe-a"),
            client_create(name="Pipeline B", slug="pipe-b"),
        )
    yield clients
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for client in clients:
            client.delete()


@pytest.fixture
def client_a(pipeline_clients) -> Client:
    return pipeline_clients[0]


@pytest.fixture
def client_b(pipeline_clients) -> Client:
    return pipeline_clients[1]


@pytest.fixture
def committed(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Database access outside any test transaction: what the test writes, the worker sees."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


@pytest.fixture
def device_make(committed) -> Iterator:
    """`device_make(client=, name=, config=, device_type=, pk=, collector=)`: a saved device, deleted
    afterwards with its readings."""
    made: list[tuple[Client, int]] = []

    def make(
        *,
        client: Client,
        name: str,
        config: dict,
        device_type: str = "modbus_tcp",
        pk: int | None = None,
        collector: str = "",
    ) -> Device:
        with tenant_context(client):
            device = Device.objects.create(
                pk=pk, name=name, device_type=device_type, config=config, collector=collector
            )
        made.append((client, device.pk))
        return device

    yield make
    for client, device_id in made:
        with tenant_context(client):
            Reading.objects.filter(device_id=device_id).delete()
            Device.objects.filter(pk=device_id).delete()


@pytest.fixture
def ew11_start() -> Iterator:
    """`ew11_start(slave_ids=[...], latency=, port=)`: SDM630s on one RS485 bus behind a simulated EW11 in
    transparent mode (RTU over TCP); stopped afterwards."""
    started: list[TcpSimulator] = []

    def start(*, slave_ids: list[int], latency: float = 0.0, port: int = 0) -> TcpSimulator:
        site = SiteModel(seed=3)
        bus = Bus(slaves=[Sdm630Simulator(site=site, slave_id=n) for n in slave_ids], latency=latency)
        simulator = TcpSimulator(bus=bus, framer="rtu", port=port).start()
        started.append(simulator)
        return simulator

    yield start
    for simulator in started:
        simulator.stop()


@pytest.fixture(scope="package")
def task_queue() -> Iterator[str]:
    name = f"pieng-tests-{uuid.uuid4().hex[:12]}"
    yield name
    with celery_app.connection_for_write() as broker:
        # Bound (declared) first: the transport removes only the bindings this channel knows of.
        queue = celery_app.amqp.queues[name].bind(broker.default_channel)
        queue.declare()
        queue.delete()


@pytest.fixture(scope="package")
def service_env(django_db_setup, task_queue) -> dict[str, str]:
    """The environment of the worker and beat: the test database and this run's queue."""
    database = urlsplit(settings.DATABASE_URL)._replace(path="/" + connection.settings_dict["NAME"])
    return os.environ | {
        "DATABASE_URL": urlunsplit(database),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": task_queue,
        "DEBUG": "true",
        "ENABLE_FORWARDING": "false",
        "LOG_LEVEL": "WARNING",
    }


def _service_start(*, args: list[str], env: dict, log: Path, ready: str) -> subprocess.Popen:
    process = _service_spawn(args=args, env=env, log=log)
    _service_wait(process, args=args, log=log, ready=ready)
    return process


def _service_spawn(*, args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pieng", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _service_wait(process: subprocess.Popen, *, args: list[str], log: Path, ready: str) -> None:
    def started() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"celery {args[0]} exited:\n{log.read_text()}")
        return ready in log.read_text()

    wait_until(started, timeout=START_TIMEOUT_S, what=f"celery {args[0]} to start")


def _service_stop(process: subprocess.Popen) -> None:
    # The whole process group: a prefork worker's children go with it.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="package")
def celery_worker(service_env, tmp_path_factory) -> Iterator[Path]:
    """A real worker, several processes, as `celery -A pieng worker` runs in production; yields its log."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    process = _service_start(
        args=[
            "worker",
            "--pool=prefork",
            f"--concurrency={WORKER_PROCESSES}",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            f"--hostname=pipeline-tests-{os.getpid()}@%h",
        ],
        env=service_env,
        log=log,
        ready="ready.",
    )
    yield log
    _service_stop(process)


@pytest.fixture
def collector_workers(service_env, tmp_path) -> Iterator:
    """`collector_workers(names)`: one worker per collector, each consuming its collector's queue only
    (`-Q collector.<name>`), started together; stopped afterwards."""
    started: list[subprocess.Popen] = []
    queues: list[str] = []

    def start(names: list[str]) -> None:
        spawned = []
        for name in names:
            queues.append(f"collector.{name}")
            args = [
                "worker",
                "--pool=threads",
                "--concurrency=2",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                f"--queues=collector.{name}",
                f"--hostname=collector-{name}@%h",
            ]
            log = tmp_path / f"collector-{name}.log"
            spawned.append((_service_spawn(args=args, env=service_env, log=log), args, log))
            started.append(spawned[-1][0])
        for process, args, log in spawned:
            _service_wait(process, args=args, log=log, ready="ready.")

    yield start
    for process in started:
        _service_stop(process)
    with celery_app.connection_for_write() as broker:
        for name in queues:
            # Bound (declared) first: the transport removes only the bindings this channel knows of.
            queue = celery_app.amqp.queues[name].bind(broker.default_channel)
            queue.declare()
            queue.delete()


@pytest.fixture
def celery_beat(service_env, celery_worker, tmp_path) -> Iterator[Path]:
    """Beat as `make run` starts it (the settings name meters.polling.beat.DatabaseScheduler)."""
    log = tmp_path / "beat.log"
    process = _service_start(
        args=["beat", "--loglevel=DEBUG", "--max-interval=1"],
        env=service_env,
        log=log,
        ready="beat: Starting...",
    )
    yield log
    _service_stop(process)


@pytest.fixture
def poll_send(task_queue, celery_worker):
    """`poll_send(client=, device=)`: queue one poll task from the client's schema, as an API call would."""

    def send(*, client: Client, device: Device) -> None:
        with tenant_context(client):
            poll_device.apply_async(kwargs={"device_id": device.pk}, queue=task_queue)

    return send
