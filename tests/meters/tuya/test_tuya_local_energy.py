"""The dual meter's counters rise between two reads by the energy the site exchanged meanwhile."""

import pytest
from tuya_testing import EVENING, local_config

from meters.drivers.tuya import tuya_read
from meters.simulators.site import SiteModel


def test_its_import_counter_rises_by_the_energy_the_site_imported(simulator_start):
    now = [EVENING]
    site = SiteModel(clock=lambda: now[0], seed=7)
    device = simulator_start(preset="dual_meter", site=site)
    config = local_config(port=device.port, preset="dual_meter")

    before = tuya_read(config=config)
    now[0] += 3600
    after = tuya_read(config=config)

    imported_kwh = site.grid_flows(start=EVENING, end=EVENING + 3600).import_wh[0] / 1000
    assert imported_kwh > 1
    assert after["energy_import"] - before["energy_import"] == pytest.approx(imported_kwh, abs=0.02)
    assert after["energy_export"] == before["energy_export"]
