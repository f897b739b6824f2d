import math

import pytest

from meters.simulators import Sdm630Simulator

HOURS = (3, 7, 12, 16, 19.5, 22)


@pytest.mark.parametrize("hour", HOURS)
def test_each_phase_is_internally_consistent(hour, site, clock):
    clock.advance((hour - 19.5) * 3600)
    values = Sdm630Simulator(site=site).values()

    for n in (1, 2, 3):
        p, s, q = values[f"power_l{n}"], values[f"apparent_power_l{n}"], values[f"reactive_power_l{n}"]
        v, i, pf = values[f"voltage_l{n}"], values[f"current_l{n}"], values[f"power_factor_l{n}"]
        assert p == pytest.approx(v * i * pf)
        assert s**2 == pytest.approx(p**2 + q**2)
        assert values[f"phase_angle_l{n}"] == pytest.approx(math.degrees(math.atan2(q, p)))


@pytest.mark.parametrize("hour", HOURS)
def test_totals_are_the_sums_of_the_phases(hour, site, clock):
    clock.advance((hour - 19.5) * 3600)
    values = Sdm630Simulator(site=site).values()

    for total in ("power", "apparent_power", "reactive_power", "energy_import", "energy_export"):
        assert values[total] == pytest.approx(sum(values[f"{total}_l{n}"] for n in (1, 2, 3))), total
    assert values["power_factor"] == pytest.approx(values["power"] / values["apparent_power"])
    assert values["energy_total"] == pytest.approx(values["energy_import"] + values["energy_export"])


def test_line_to_line_voltages_come_from_the_phase_voltages_120_degrees_apart(site):
    values = Sdm630Simulator(site=site).values()

    v1, v2 = values["voltage_l1"], values["voltage_l2"]
    assert values["voltage_l1_l2"] == pytest.approx(math.sqrt(v1**2 + v2**2 + v1 * v2))
    assert values["voltage_l1_l2"] == pytest.approx(math.sqrt(3) * 127, rel=0.05)
