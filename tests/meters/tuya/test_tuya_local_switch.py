"""The relay DP answers tinytuya's CONTROL: off means no load, and the next reading says so."""

import tinytuya
from tuya_testing import DEVICE_ID, LOCAL_KEY, local_config

from meters.drivers.tuya import tuya_read


def _plug(port: int) -> tinytuya.OutletDevice:
    return tinytuya.OutletDevice(
        DEVICE_ID, "127.0.0.1", LOCAL_KEY, version=3.3, port=port, connection_timeout=1
    )


def test_turning_the_relay_off_cuts_the_load(simulator_start):
    device = simulator_start()

    reply = _plug(device.port).turn_off()

    assert reply["dps"] == {"1": False}
    metrics = tuya_read(config=local_config(port=device.port))
    assert (metrics["switch"], metrics["power"], metrics["power_l1"], metrics["current_l1"]) == (0, 0, 0, 0)
    # The plug still measures the mains ahead of its open relay.
    assert metrics["voltage_l1"] == device.reading.voltage


def test_turning_the_relay_back_on_restores_the_load(simulator_start):
    device = simulator_start()
    _plug(device.port).turn_off()

    _plug(device.port).turn_on()

    metrics = tuya_read(config=local_config(port=device.port))
    assert metrics["switch"] == 1.0
    assert metrics["power"] > 0
