"""`tuya_simulator_serve` serves a device until interrupted, as `manage.py meter simulate` runs it."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tuya_testing import DEVICE_ID, LOCAL_KEY, local_config

from meters.drivers.tuya import tuya_read

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_listening(port: int, *, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


def test_it_serves_until_interrupted_then_exits_cleanly():
    port = _free_port()
    code = (
        "from meters.simulators.tuya import tuya_simulator_serve; "
        f"tuya_simulator_serve(port={port}, device_id={DEVICE_ID!r}, local_key={LOCAL_KEY!r})"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    try:
        _wait_listening(port, within=10)
        assert tuya_read(config=local_config(port=port))["switch"] == 1.0

        process.send_signal(signal.SIGINT)

        assert process.wait(timeout=5) == 0
    finally:
        process.kill()
        process.wait()
