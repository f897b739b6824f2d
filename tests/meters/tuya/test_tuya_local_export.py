"""At noon the PV system sends energy to the grid: the dual meter's power reads negative."""

from tuya_testing import NOON, local_config, site_frozen

from meters.drivers.tuya import tuya_read


def test_it_reads_negative_power_while_the_site_injects(simulator_start):
    device = simulator_start(preset="dual_meter", site=site_frozen(at=NOON))

    metrics = tuya_read(config=local_config(port=device.port, preset="dual_meter"))

    assert metrics["power"] < -1000
    assert metrics["power"] == metrics["power_l1"] == device.reading.power
