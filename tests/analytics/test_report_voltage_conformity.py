"""The monthly report's PRODIST conformity: 10-minute means of each phase, a window classed by its worst
phase, DRP and DRC as the shares of precarious and critical windows."""

from datetime import UTC, datetime, timedelta

import pytest
from django_tenants.utils import tenant_context

from analytics.selectors import site_month_report
from tests.helpers.devices import device_add, readings_store

START = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def _class_127(volts: float) -> str:
    if 117 <= volts <= 133:
        return "adequate"
    if 110 <= volts <= 135:
        return "precarious"
    return "critical"


def test_drp_and_drc_on_hand_made_voltages_match_a_direct_computation(acme):
    meter = device_add(acme, name="Entrada", role="grid", nominal_voltage=127)
    # 12 windows of 10 minutes, 20 readings (30 s) each. Phase 1 dips to 116 V then 112 V and once to 108 V
    # for a single reading (which the window's mean smooths out); phase 2 swells to 136 V in window 9.
    l1 = {0: 127.0, 1: 127.0, 2: 116.0, 3: 116.0, 4: 112.0, 5: 127.0, 6: 127.0, 7: 128.0, 8: 127.0,
          9: 127.0, 10: 126.0, 11: 127.0}  # fmt: skip
    l2 = dict.fromkeys(range(12), 128.0) | {9: 136.0, 10: 134.0}
    readings = []
    for window in range(12):
        for step in range(20):
            ts = START + timedelta(minutes=10 * window, seconds=30 * step)
            v1 = 108.0 if (window, step) == (7, 5) else l1[window]
            readings.append((ts, {"voltage_l1": v1, "voltage_l2": l2[window]}))
    readings_store(acme, meter, readings)

    # What the rule says, computed here: mean per phase per window, worst phase per window.
    order = ["adequate", "precarious", "critical"]
    worst = []
    for window in range(12):
        rows = [values for ts, values in readings if (ts - START) // timedelta(minutes=10) == window]
        classes = [
            _class_127(sum(row[phase] for row in rows) / len(rows)) for phase in ("voltage_l1", "voltage_l2")
        ]
        worst.append(max(classes, key=order.index))
    expected_drp = worst.count("precarious") / 12 * 100
    expected_drc = worst.count("critical") / 12 * 100

    with tenant_context(acme):
        report = site_month_report(client=acme, year=2025, month=3)

    (conformity,) = report["conformity"]
    assert conformity["device"] == meter
    assert conformity["count"] == 12
    assert conformity["drp"] == pytest.approx(expected_drp)
    assert conformity["drc"] == pytest.approx(expected_drc)
    assert (expected_drp, expected_drc) == pytest.approx((4 / 12 * 100, 1 / 12 * 100))
    assert conformity["adequate"] == pytest.approx(100 - expected_drp - expected_drc)
