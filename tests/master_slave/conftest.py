"""The master-slave pair, started once for the package's two-instance tests (tests marked slow)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.conf import settings

from forwarding.services import LINK_TOKEN_PREFIX
from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator
from pieng.api.tokens import secret_token_make
from tests.helpers.pipeline import rtu_config

from .instances import Databases, Instance, PrivateRedis, cleanup_directory, instances_make, wait_for

POLL_INTERVAL_S = 5  # the shortest a device may have
SYNC_TIMEOUT_S = 90.0
EVER = datetime(2000, 1, 1, tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class MasterClient:
    slug: str
    schema: str
    device_ids: list[int]


@dataclass
class Pair:
    master: Instance
    slave: Instance
    redis: PrivateRedis
    clients: list[MasterClient]
    link_id: int

    def logs(self) -> str:
        return self.master.logs() + "\n" + self.slave.logs()

    def wait(self, condition, *, what: str, timeout: float = SYNC_TIMEOUT_S) -> None:
        """Wait, with the master's processes under a supervisor: Celery's worker exits when its Redis
        goes away (kombu cannot restore its unacknowledged tasks), and is started again, as in Docker."""

        def supervised() -> bool:
            self.master.supervise()
            return condition()

        wait_for(supervised, timeout=timeout, what=what, logs=self.logs)

    def master_readings_per_device(self, *, since: datetime) -> list[int]:
        return [
            count
            for client in self.clients
            for (count,) in self.master.sql(
                f'SELECT count(*) FROM "{client.schema}".meters_reading WHERE ts > %s GROUP BY device_id',
                [since],
            )
        ]

    def wait_for_polls(self, *, since: datetime, per_device: int) -> None:
        """Until the master stored `per_device` readings of every device after `since`."""
        devices = sum(len(client.device_ids) for client in self.clients)

        def polled() -> bool:
            counts = self.master_readings_per_device(since=since)
            return len(counts) == devices and min(counts) >= per_device

        self.wait(polled, what=f"{per_device} polls of every master device")

    def wait_in_step(self, *, until: datetime) -> None:
        """Until the slave holds exactly the master's readings up to `until`, client by client."""

        def in_step() -> bool:
            return all(
                self.slave.readings(schema=client.schema, until=until)
                == self.master.readings(schema=client.schema, until=until)
                for client in self.clients
            )

        self.wait(in_step, what=f"the slave to hold every master reading up to {until:%H:%M:%S}")

    def link_new(self) -> tuple[int, str]:
        made = self.slave.api().post(f"{self.slave.url}/api/links", json={"name": "master"}, timeout=30)
        made.raise_for_status()
        return made.json()["id"], made.json()["token"]


@pytest.fixture(scope="package")
def pair(django_db_setup, tmp_path_factory) -> Iterator[Pair]:
    directory = tmp_path_factory.mktemp("master-slave")
    databases = Databases(settings.DATABASE_URL)
    simulators: list[TcpSimulator] = []
    master = slave = redis = None
    try:
        master, slave, redis = instances_make(
            base_url=settings.DATABASE_URL,
            slave_redis_url=settings.REDIS_URL,
            directory=directory,
            databases=databases,
        )
        # The first link is written straight into the slave's database, so that both instances start
        # at once; the tests make the next one through the API.
        token, token_hash = secret_token_make(prefix=LINK_TOKEN_PREFIX)
        ((link_id,),) = slave.sql(
            "INSERT INTO forwarding_link (name, token_hash, created_at)"
            " VALUES ('master', %s, now()) RETURNING id",
            [token_hash],
        )
        master.env["FORWARDER_TOKEN"] = token
        redis.start()
        services = [(slave.services["web"], slave.env)] + [(s, master.env) for s in master.services.values()]
        for service, env in services:
            service.start(env)
        for service, _ in services:
            service.wait_ready()
        clients = [
            _client_make(master, simulators, slug=slug, seed=n) for n, slug in enumerate(["norte", "sul"])
        ]
        yield Pair(master=master, slave=slave, redis=redis, clients=clients, link_id=link_id)
    finally:
        for instance in (master, slave):
            if instance is not None:
                instance.kill()
        for simulator in simulators:
            simulator.stop()
        if redis is not None:
            redis.stop()
        databases.drop_all()
        cleanup_directory(directory)


def _client_make(master: Instance, simulators: list, *, slug: str, seed: int) -> MasterClient:
    """A client on the master with two SDM630s behind a simulated EW11: ids 1 and 2 in every client."""
    api = master.api()
    client = api.post(
        f"{master.url}/api/clients",
        json={"name": f"Usina {slug.title()}", "slug": slug, "time_zone": "America/Manaus"},
        timeout=120,
    )
    client.raise_for_status()
    site = SiteModel(seed=seed)
    simulator = TcpSimulator(
        bus=Bus(slaves=[Sdm630Simulator(site=site, slave_id=1), Sdm630Simulator(site=site, slave_id=2)]),
        framer="rtu",
    ).start()
    simulators.append(simulator)
    device_ids = []
    for slave_id in (1, 2):
        config = rtu_config(port=simulator.port, slave_id=slave_id, poll_interval=POLL_INTERVAL_S)
        device = api.post(
            f"{master.url}/api/devices",
            json={
                "client_id": client.json()["id"],
                "name": f"SDM630 {slave_id}",
                "device_type": "modbus_tcp",
                "config": config,
            },
            timeout=30,
        )
        device.raise_for_status()
        device_ids.append(device.json()["id"])
    return MasterClient(slug=slug, schema=client.json()["schema_name"], device_ids=device_ids)
