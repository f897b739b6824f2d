"""`entrypoint.sh beat` and `entrypoint.sh worker`, as the container starts them, on the production
installation: a meter added to a client is polled on its schedule and its reading stored."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator
from tests.helpers.deploy import ENTRYPOINT, database_rows, entrypoint_run
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow
INTERVAL_S = 5

# Run by `entrypoint.sh <python> manage.py shell` (any other command is run as it is).
SETUP = """
import os
from django_tenants.utils import tenant_context
from meters.config import device_config_clean
from meters.services import device_create
from tenants.services import client_create

client = client_create(name="Padaria Central", slug="padaria")
config = {"driver": "sdm630", "host": "127.0.0.1", "port": int(os.environ["METER_PORT"]), "framer": "rtu",
          "slave_id": 1, "timeout": 1, "retries": 0, "poll_interval": int(os.environ["METER_INTERVAL"])}
with tenant_context(client):
    fields = {"name": "Quadro geral", "device_type": "modbus_tcp",
              "config": device_config_clean(device_type="modbus_tcp", config=config)}
    device_create(fields=fields)
"""

TEARDOWN = """
from tenants.models import Client

Client.objects.filter(slug="padaria").delete()
"""


@pytest.fixture
def meter() -> Iterator[TcpSimulator]:
    simulator = TcpSimulator(
        bus=Bus(slaves=[Sdm630Simulator(site=SiteModel(seed=3), slave_id=1)]), framer="rtu"
    )
    simulator.start()
    yield simulator
    simulator.stop()


def _role_start(role: str, *, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ENTRYPOINT), role],
        cwd="/",
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_the_beat_and_worker_roles_poll_a_new_meter_and_store_its_reading(
    migrated, production_env, deploy_database, meter, tmp_path
):
    # The meter sits on this machine's loopback, as the simulators of a demo do.
    env = production_env | {"DEVICE_ALLOW_LOOPBACK": "true"}
    made = entrypoint_run(
        sys.executable,
        "manage.py",
        "shell",
        "-c",
        SETUP,
        env=env | {"METER_PORT": str(meter.port), "METER_INTERVAL": str(INTERVAL_S)},
    )
    assert made.returncode == 0, made.stdout + made.stderr
    roles = {role: _role_start(role, env=env, log=tmp_path / f"{role}.log") for role in ("worker", "beat")}
    try:
        wait_until(
            lambda: (
                database_rows(deploy_database, "SELECT count(*) FROM client_padaria.meters_reading")[0][0] > 0
            ),
            timeout=60,
            what="the first scheduled poll to be stored",
        )
        stored = database_rows(
            deploy_database,
            "SELECT l.names, r.values FROM client_padaria.meters_reading r"
            " JOIN client_padaria.meters_metriclayout l ON l.id = r.layout_id LIMIT 1",
        )[0]
        for role, process in roles.items():
            assert process.poll() is None, (tmp_path / f"{role}.log").read_text()
    finally:
        for process in roles.values():
            os.killpg(process.pid, signal.SIGTERM)
        for process in roles.values():
            process.wait(timeout=30)
        # The other tests of the package find the installation as bootstrap left it: no client.
        entrypoint_run(sys.executable, "manage.py", "shell", "-c", TEARDOWN, env=env)

    metrics = dict(zip(stored[0], stored[1], strict=True))
    assert 100 < metrics["voltage_l1"] < 260
