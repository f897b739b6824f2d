import time

import pytest

from meters.simulators import Pzem004tSimulator, Sdm630Simulator, SiteModel, clock_scaled


def test_the_import_counter_rises_by_the_mean_power_of_the_hour(site, clock):
    clock.advance(-17 * 3600)  # 02:30, a steady night load, all phases importing
    meter = Sdm630Simulator(site=site)
    before = meter.values()["energy_import"]

    clock.advance(3600)
    after = meter.values()

    # The demand register is the mean power of the last 60 minutes.
    assert (after["energy_import"] - before) * 1000 == pytest.approx(after["power_demand"], rel=0.01)
    assert (after["energy_import"] - before) * 1000 == pytest.approx(after["power"], rel=0.15)


def test_at_midday_the_export_counters_rise_and_the_import_counters_stay(site, clock):
    clock.advance(-7 * 3600)  # 12:30
    meter = Sdm630Simulator(site=site)
    before = meter.values()

    clock.advance(1800)
    after = meter.values()

    for n in (1, 2, 3):
        assert after[f"energy_export_l{n}"] > before[f"energy_export_l{n}"]
        assert after[f"energy_import_l{n}"] == before[f"energy_import_l{n}"]


def test_the_maximum_demand_keeps_the_evening_peak(site, clock):
    meter = Sdm630Simulator(site=site)
    clock.advance(3600)
    peak = meter.values()["power_demand"]

    clock.advance(8 * 3600)
    values = meter.values()

    assert values["power_demand"] < peak == values["power_demand_max"]


def test_the_pzem_counter_wraps_after_9999_99_kwh(site, clock):
    module = Pzem004tSimulator(site=site, energy_wh=9_999_990)
    assert module.values()["energy_import"] == 9999.99

    clock.advance(3600)

    assert 0.0 < module.values()["energy_import"] < 1.0


def test_a_scaled_clock_runs_an_hour_per_second():
    before = time.monotonic()
    clock = clock_scaled(start=0.0, factor=3600.0)
    created = time.monotonic()
    time.sleep(0.05)
    slept = time.monotonic() - created
    simulated = clock()
    # The clock started between `before` and `created`: its hours lie between the two real spans.
    assert slept * 3600 <= simulated <= (time.monotonic() - before) * 3600


def test_counters_rise_on_a_scaled_clock():
    meter = Sdm630Simulator(site=SiteModel(clock=clock_scaled(factor=3600.0), seed=1))
    before = meter.values()["energy_total"]

    time.sleep(0.3)  # 18 simulated minutes

    assert meter.values()["energy_total"] > before
