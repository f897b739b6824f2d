"""A single-phase meter measures phase 1: every total it reports is also reported under its `_l1` name."""

import pytest

from meters.drivers.pzem004t import pzem004t_decode
from meters.drivers.tuya_presets import PRESETS, tuya_decode

PHASE_ONE_NAMES = {"power": "power_l1", "power_factor": "power_factor_l1"}


def _phase_one_missing(metrics: dict[str, float]) -> dict[str, str]:
    return {
        total: phase
        for total, phase in PHASE_ONE_NAMES.items()
        if total in metrics and metrics.get(phase) != metrics[total]
    }


def test_the_pzem004t_reports_power_factor_l1_as_well_as_power_factor():
    registers = [2203, 1000, 0, 23001, 0, 100, 0, 600, 92, 0]
    metrics = pzem004t_decode(registers=registers)
    assert metrics["power_factor_l1"] == metrics["power_factor"] == 0.92
    assert _phase_one_missing(metrics) == {}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_tuya_preset_reports_its_totals_on_phase_one(preset):
    every_dp = {point.dp: (True if point.boolean else 50) for point in PRESETS[preset].fields}
    every_dp |= {point.direction_dp: "FORWARD" for point in PRESETS[preset].fields if point.direction_dp}
    assert _phase_one_missing(tuya_decode(preset=preset, dps=every_dp)) == {}
