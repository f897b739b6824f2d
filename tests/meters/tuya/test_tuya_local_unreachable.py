"""Nothing listening, or a device that never answers: typed errors, within bounded time."""

import time

import pytest
from tuya_testing import local_config

from meters.drivers.tuya import tuya_read
from meters.errors import MeterConnectionRefused, MeterTimeout


def test_a_closed_port_is_a_refused_connection(closed_port):
    with pytest.raises(MeterConnectionRefused, match=f"127.0.0.1:{closed_port} refused the connection"):
        tuya_read(config=local_config(port=closed_port))


@pytest.mark.parametrize("version", ["3.3", "3.4"])
def test_a_silent_device_times_out_within_the_retry_bound(silent_port, version):
    # retries=1: tinytuya sends the request twice and waits `timeout` each time (negotiation likewise).
    started = time.monotonic()

    with pytest.raises(MeterTimeout, match=f"127.0.0.1:{silent_port}"):
        tuya_read(config=local_config(port=silent_port, version=version, timeout=0.2))

    assert time.monotonic() - started < 1.5
