"""PRODIST Module 8 steady-state voltage ranges and the DRP/DRC indicators for low voltage (BT, <= 1 kV).

Source: PRODIST Module 8 (REN ANEEL 956/2021, Anexo VIII, section 8.1). The ANEEL text itself could not be
opened; the figures below are those of the "qee" package (`PRODIST_M8`). For 127, 220 and 380 V they agree
with two other independent codebases (a voltage-classification module and OpenDSS study scripts); every row
also agrees with the per-unit rule (adequate 0.92-1.05 TR, precarious down to 0.87 and up to 1.06 TR, rounded
to whole volts). Well corroborated, but UNCONFIRMED against the primary ANEEL text
(shared/reference/domain-facts.md §5.1).

DRP and DRC are the shares of readings in the precarious and critical ranges. The regulatory campaign is
1008 consecutive valid 10-minute readings (one week); a home meter's readings give an estimate with the same
ratio over however many readings it has.
"""

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

DRP_LIMIT_PERCENT = 3.0
DRC_LIMIT_PERCENT = 0.5


class VoltageRange(NamedTuple):
    precarious_low: float
    adequate_low: float
    adequate_high: float
    precarious_high: float


# Nominal voltage (V) -> bounds. Adequate: adequate_low <= V <= adequate_high. Precarious: from precarious_low
# up to adequate_low (exclusive), or above adequate_high up to precarious_high. Critical: anything beyond.
VOLTAGE_RANGES = {
    127: VoltageRange(110, 117, 133, 135),
    220: VoltageRange(191, 202, 231, 233),
    254: VoltageRange(221, 234, 267, 269),
    380: VoltageRange(331, 350, 399, 403),
    440: VoltageRange(383, 405, 462, 466),
}


def voltage_limits(*, nominal: int) -> tuple[float, float]:
    bounds = _voltage_range(nominal=nominal)
    return float(bounds.adequate_low), float(bounds.adequate_high)


def voltage_class(*, nominal: int, value: float) -> str:
    bounds = _voltage_range(nominal=nominal)
    if bounds.adequate_low <= value <= bounds.adequate_high:
        return "adequate"
    if bounds.precarious_low <= value <= bounds.precarious_high:
        return "precarious"
    return "critical"


def voltage_indicators(*, nominal: int, values: Sequence[float]) -> dict:
    bounds = _voltage_range(nominal=nominal)
    readings = np.asarray(values, dtype=float)
    # A non-finite reading is not a valid measurement, so it is neither counted nor classified.
    readings = readings[np.isfinite(readings)]
    adequate = (readings >= bounds.adequate_low) & (readings <= bounds.adequate_high)
    tolerable = (readings >= bounds.precarious_low) & (readings <= bounds.precarious_high)
    nlp = int(np.count_nonzero(tolerable & ~adequate))
    nlc = int(np.count_nonzero(~tolerable))
    drp = nlp / readings.size * 100 if readings.size else None
    drc = nlc / readings.size * 100 if readings.size else None
    return {
        "count": int(readings.size),
        "nlp": nlp,
        "nlc": nlc,
        "drp": drp,
        "drc": drc,
        "drp_limit": DRP_LIMIT_PERCENT,
        "drc_limit": DRC_LIMIT_PERCENT,
        "drp_exceeded": drp is not None and drp > DRP_LIMIT_PERCENT,
        "drc_exceeded": drc is not None and drc > DRC_LIMIT_PERCENT,
    }


def _voltage_range(*, nominal: int) -> VoltageRange:
    if nominal not in VOLTAGE_RANGES:
        known = ", ".join(str(voltage) for voltage in VOLTAGE_RANGES)
        raise ValueError(f"no PRODIST range for a nominal of {nominal} V (known: {known})")
    return VOLTAGE_RANGES[nominal]
