"""Cloud failures become typed errors carrying the cloud's own message, within bounded time."""

import socket
import time

import pytest
from tuya_testing import cloud_config

from meters.drivers.tuya import tuya_read
from meters.errors import MeterConnectionRefused, MeterError, MeterTimeout


def test_a_wrong_access_secret_fails_with_the_clouds_message(fake_cloud):
    fake_cloud.statuses["bf8a1c2d3e4f5a6b7c8d"] = "status_plug_on.json"

    with pytest.raises(MeterError, match="sign invalid"):
        tuya_read(config=cloud_config(secret="00000000000000000000000000000000"))


def test_a_device_outside_the_cloud_project_fails_with_the_clouds_message(fake_cloud):
    with pytest.raises(MeterError, match="permission deny"):
        tuya_read(config=cloud_config(device_id="bf00000000000000dead"))


def test_a_cloud_that_never_answers_times_out(fake_cloud):
    fake_cloud.silent = True
    started = time.monotonic()

    with pytest.raises(MeterTimeout, match=r"Tuya cloud \(region us\) did not answer within 0.6 s"):
        tuya_read(config=cloud_config(timeout=0.3))

    assert time.monotonic() - started < 1.5


def test_an_unreachable_cloud_is_a_refused_connection(fake_cloud, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed}")

    with pytest.raises(MeterConnectionRefused, match=r"cannot reach the Tuya cloud \(region us\)"):
        tuya_read(config=cloud_config())
