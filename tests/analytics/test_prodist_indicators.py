"""DRP and DRC: the shares of readings in the precarious and critical ranges, against 3 % and 0.5 %."""

import pytest

from analytics.prodist import voltage_indicators


def test_it_counts_a_week_of_readings():
    # One week of 10-minute readings: 20 precarious (both sides), 4 critical.
    values = [127.0] * 984 + [116.0] * 10 + [134.0] * 10 + [100.0] * 2 + [140.0] * 2

    indicators = voltage_indicators(nominal=127, values=values)

    assert indicators["count"] == 1008
    assert (indicators["nlp"], indicators["nlc"]) == (20, 4)
    assert indicators["drp"] == pytest.approx(20 / 1008 * 100)
    assert indicators["drc"] == pytest.approx(4 / 1008 * 100)
    assert (indicators["drp_limit"], indicators["drc_limit"]) == (3.0, 0.5)
    assert (indicators["drp_exceeded"], indicators["drc_exceeded"]) == (False, False)


def test_it_flags_indicators_above_their_limits():
    # 4 % precarious, 1 % critical.
    values = [220.0] * 95 + [200.0] * 4 + [250.0]

    indicators = voltage_indicators(nominal=220, values=values)

    assert indicators["drp"] == pytest.approx(4.0)
    assert indicators["drc"] == pytest.approx(1.0)
    assert (indicators["drp_exceeded"], indicators["drc_exceeded"]) == (True, True)


def test_no_readings_give_no_indicators():
    indicators = voltage_indicators(nominal=127, values=[])

    assert (indicators["count"], indicators["nlp"], indicators["nlc"]) == (0, 0, 0)
    assert indicators["drp"] is None
    assert indicators["drc"] is None
    assert (indicators["drp_exceeded"], indicators["drc_exceeded"]) == (False, False)
