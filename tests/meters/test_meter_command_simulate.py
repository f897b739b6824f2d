"""`python manage.py meter simulate` serves until Ctrl-C, which ends it cleanly."""

import re
import select
import signal
import subprocess

from meters.config import device_config_clean
from meters.reader import device_read


def _first_line(process: subprocess.Popen) -> str:
    ready, _, _ = select.select([process.stdout], [], [], 60)
    return process.stdout.readline() if ready else ""


def _read(device_type: str, **config) -> dict[str, float]:
    config = device_config_clean(device_type=device_type, config=config)
    return device_read(device_type=device_type, config=config)


def test_simulate_serves_readable_meters_and_ctrl_c_ends_it_cleanly(manage_py_start):
    process = manage_py_start(
        "simulate", "--driver", "sdm630", "--port", "0", "--framer", "rtu", "--slave-id", "1", "2"
    )
    port = int(re.search(r"on 127\.0\.0\.1:(\d+) \(RTU over TCP\)", _first_line(process)).group(1))

    for slave_id in (1, 2):
        reading = _read(
            "modbus_tcp", driver="sdm630", host="127.0.0.1", port=port, framer="rtu", slave_id=slave_id
        )
        assert 59.9 <= reading["frequency"] <= 60.1

    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_simulate_on_a_pseudo_terminal_prints_its_path(manage_py_start):
    process = manage_py_start("simulate", "--driver", "pzem004t", "--pty")
    tty_path = re.search(r"on (/dev/\S+) \(RTU\)", _first_line(process)).group(1)

    assert _read("modbus", driver="pzem004t", port=tty_path)["power"] > 0

    process.send_signal(signal.SIGINT)
    process.communicate(timeout=10)
    assert process.returncode == 0
