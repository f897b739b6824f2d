"""PRODIST Module 8 steady-state voltage ranges and the DRP/DRC indicators for low voltage (BT, <= 1 kV).

The ranges themselves, and where they come from, are meters.catalog.PRODIST_VOLTAGE_RANGES.

DRP and DRC are the shares of readings in the precarious and critical ranges. The regulatory campaign is
1008 consecutive valid 10-minute readings (one week); a home meter's readings give an estimate with the same
ratio over however many readings it has.
"""

from collections.abc import Sequence

import numpy as np

from meters.catalog import PRODIST_VOLTAGE_RANGES, VoltageRange

DRP_LIMIT_PERCENT = 3.0
DRC_LIMIT_PERCENT = 0.5


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


ADEQUATE, PRECARIOUS, CRITICAL = 0, 1, 2


def voltage_severity(*, nominal: int, values: Sequence[float]) -> np.ndarray:
    """Each finite reading's class as ADEQUATE, PRECARIOUS or CRITICAL; non-finite readings are not
    valid measurements and are left out."""
    bounds = _voltage_range(nominal=nominal)
    readings = np.asarray(values, dtype=float)
    readings = readings[np.isfinite(readings)]
    adequate = (readings >= bounds.adequate_low) & (readings <= bounds.adequate_high)
    tolerable = (readings >= bounds.precarious_low) & (readings <= bounds.precarious_high)
    return np.where(adequate, ADEQUATE, np.where(tolerable, PRECARIOUS, CRITICAL))


def voltage_indicators(*, nominal: int, values: Sequence[float]) -> dict:
    return severity_indicators(severity=voltage_severity(nominal=nominal, values=values))


def severity_indicators(*, severity: np.ndarray) -> dict:
    """DRP and DRC (and the adequate share) of readings already classified by voltage_severity."""
    return counts_indicators(
        count=int(severity.size),
        nlp=int(np.count_nonzero(severity == PRECARIOUS)),
        nlc=int(np.count_nonzero(severity == CRITICAL)),
    )


def counts_indicators(*, count: int, nlp: int, nlc: int) -> dict:
    """DRP and DRC (and the adequate share) of `count` readings of which `nlp` are precarious and `nlc`
    critical."""
    drp = nlp / count * 100 if count else None
    drc = nlc / count * 100 if count else None
    return {
        "count": count,
        "nlp": nlp,
        "nlc": nlc,
        "adequate": (count - nlp - nlc) / count * 100 if count else None,
        "drp": drp,
        "drc": drc,
        "drp_limit": DRP_LIMIT_PERCENT,
        "drc_limit": DRC_LIMIT_PERCENT,
        "drp_exceeded": drp is not None and drp > DRP_LIMIT_PERCENT,
        "drc_exceeded": drc is not None and drc > DRC_LIMIT_PERCENT,
    }


def _voltage_range(*, nominal: int) -> VoltageRange:
    if nominal not in PRODIST_VOLTAGE_RANGES:
        known = ", ".join(str(voltage) for voltage in PRODIST_VOLTAGE_RANGES)
        raise ValueError(f"no PRODIST range for a nominal of {nominal} V (known: {known})")
    return PRODIST_VOLTAGE_RANGES[nominal]
