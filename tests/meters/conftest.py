"""Simulated sites, buses and servers on loopback ports and pseudo-terminals, stopped after each test."""

import argparse
import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from meters.cli import meter_arguments_add, meter_run
from meters.config import device_config_clean
from meters.simulators import Bus, PtySimulator, SiteModel, TcpSimulator
from meters.simulators.site import SITE_TIMEZONE

ROOT = Path(__file__).resolve().parents[2]
TRANSPORTS = ("socket", "rtu", "pty")


class FrozenClock:
    """Simulated time that moves only when a test says so."""

    def __init__(self, at: datetime):
        self.at = at.timestamp()

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2025, 3, 10, 19, 30, tzinfo=SITE_TIMEZONE))


@pytest.fixture
def site(clock) -> SiteModel:
    return SiteModel(clock=clock, seed=7)


@pytest.fixture
def serve():
    """Start a simulator server for the test; it is stopped at teardown."""
    started = []

    def start(server: TcpSimulator | PtySimulator) -> TcpSimulator | PtySimulator:
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def bus_server(serve):
    """Serve `bus` over one of the three transports: "socket" (Modbus TCP), "rtu" (an EW11) or "pty"."""

    def start(bus: Bus, transport: str) -> TcpSimulator | PtySimulator:
        if transport == "pty":
            return serve(PtySimulator(bus=bus))
        return serve(TcpSimulator(bus=bus, framer=transport))

    return start


@pytest.fixture
def device():
    """`device_type` and validated `config` to reach `server`, as a device configured for it has them."""

    def config_for(server, *, driver: str = "sdm630", slave_id: int = 1, **overrides) -> dict:
        if isinstance(server, PtySimulator):
            device_type, config = "modbus", {"port": server.tty_path}
        else:
            device_type = "modbus_tcp"
            config = {"host": server.host, "port": server.port, "framer": server.framer}
        config |= {"driver": driver, "slave_id": slave_id, "timeout": 1.0, "retries": 0} | overrides
        config = device_config_clean(device_type=device_type, config=config)
        return {"device_type": device_type, "config": config}

    return config_for


@pytest.fixture
def meter():
    """Parse `meter ...` arguments as the management command does and run them; returns the output."""
    parser = argparse.ArgumentParser()
    meter_arguments_add(parser)

    def run(*args: str) -> str:
        out = io.StringIO()
        meter_run(options=vars(parser.parse_args(args)), out=out)
        return out.getvalue()

    return run


# The settings refuse the development secret key unless DEBUG is on; none of these commands needs either.
COMMAND_ENVIRONMENT = os.environ | {"SECRET_KEY": "meter-command-tests-" + "k" * 32}


@pytest.fixture
def manage_py():
    """Run `manage.py meter ...` as a user would; the settings import with no database running."""

    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", "meter", *args],
            cwd=ROOT,
            env=COMMAND_ENVIRONMENT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture
def manage_py_start():
    """Start `manage.py meter ...` in the background; killed at teardown if the test left it running."""
    started = []

    def start(*args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "meter", *args],
            cwd=ROOT,
            env=COMMAND_ENVIRONMENT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()
