"""tinytuya, through our driver, reads the simulated device over a real socket in every protocol version."""

import pytest
from tuya_testing import local_config

from meters.drivers.tuya import tuya_read
from meters.simulators.tuya import Reading


def _plug(reading: Reading) -> dict[str, float]:
    return {
        "switch": float(reading.switch),
        "current_l1": reading.current,
        "power": reading.power,
        "power_l1": reading.power,
        "voltage_l1": reading.voltage,
    }


def _dual_meter(reading: Reading) -> dict[str, float]:
    return {
        "power": reading.power,
        "power_l1": reading.power,
        "current_l1": reading.current,
        "voltage_l1": reading.voltage,
        "frequency": reading.frequency,
        "power_factor": reading.power_factor,
        "power_factor_l1": reading.power_factor,
        "energy_import": reading.energy_import,
        "energy_export": reading.energy_export,
    }


EXPECTED = {"plug_v33": _plug, "plug_v31": _plug, "dual_meter": _dual_meter}


@pytest.mark.parametrize("version", ["3.1", "3.3", "3.4", "3.5"])
@pytest.mark.parametrize("preset", list(EXPECTED))
def test_it_reads_what_the_device_measures(simulator_start, version, preset):
    device = simulator_start(version=version, preset=preset)

    metrics = tuya_read(config=local_config(port=device.port, version=version, preset=preset))

    assert metrics == EXPECTED[preset](device.reading)
