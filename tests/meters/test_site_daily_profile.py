import pytest

from meters.catalog import metric_normal_range
from meters.simulators import Pzem004tSimulator, Sdm630Simulator


def _values_at(hour: float, site, clock) -> dict[str, float]:
    clock.advance((hour - 19.5) * 3600)
    return Sdm630Simulator(site=site).values()


def test_the_site_injects_at_midday_with_negative_power_and_power_factor(site, clock):
    values = _values_at(12, site, clock)
    assert values["power"] < -3000
    assert all(values[f"power_factor_l{n}"] < 0 for n in (1, 2, 3))


def test_the_evening_peak_draws_more_than_the_night(site, clock):
    evening = _values_at(19.5, site, clock)["power"]
    night = _values_at(3, site, clock)["power"]
    assert evening > 2 * night > 0


@pytest.mark.parametrize("hour", [3, 7, 12, 19.5])
def test_voltage_and_frequency_stay_in_their_normal_ranges(hour, site, clock):
    values = _values_at(hour, site, clock)
    for name in ("voltage_l1", "voltage_l2", "voltage_l3", "voltage_l1_l2", "frequency"):
        assert metric_normal_range(name=name, nominal_voltage=127).contains(values[name]), name


def test_the_pzem_circuit_only_draws_power(site, clock):
    for hour in (3, 12, 20):
        clock.advance(hour * 3600)
        values = Pzem004tSimulator(site=site).values()
        assert values["power"] > 0 and 0 < values["power_factor"] <= 1
        assert values["power"] == pytest.approx(
            values["voltage_l1"] * values["current_l1"] * values["power_factor"], rel=0.02
        )
