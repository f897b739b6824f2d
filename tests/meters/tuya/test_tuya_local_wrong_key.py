"""A device that answers with something our key does not decrypt means a bad local key."""

import pytest
from tuya_testing import WRONG_KEY, local_config

from meters.drivers.tuya import tuya_read
from meters.errors import TuyaKeyError


@pytest.mark.parametrize("version", ["3.3", "3.4"])
def test_a_wrong_local_key_is_reported_as_such(simulator_start, version):
    device = simulator_start(version=version)

    with pytest.raises(TuyaKeyError) as raised:
        tuya_read(config=local_config(port=device.port, version=version, local_key=WRONG_KEY))

    assert str(raised.value) == "bad Tuya local key: device answered but payload did not decrypt"


def test_a_local_key_of_the_wrong_length_is_refused_before_connecting(closed_port):
    with pytest.raises(TuyaKeyError, match="must be 16 characters, got 15"):
        tuya_read(config=local_config(port=closed_port, local_key="0123456789abcde"))


def test_protocol_3_1_reads_status_without_the_key_as_real_plugs_do(simulator_start):
    device = simulator_start(version="3.1")

    metrics = tuya_read(config=local_config(port=device.port, version="3.1", local_key=WRONG_KEY))

    assert metrics["voltage_l1"] == device.reading.voltage
