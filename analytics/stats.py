"""Descriptive statistics and Six Sigma figures of one metric's series.

`series_summary` backs `GET /api/metrics/summary` (docs/api-contract.md §5, "Summary fields"). Every field is
always present; a figure that is undefined for the data at hand (too few values, zero spread, a missing
limit) is None, never NaN, inf or an exception.

Conventions:
- Percentiles interpolate linearly between order statistics (numpy's default, the same as pandas
  `quantile` and spreadsheet PERCENTILE.INC).
- `sigma_within` is the individuals-chart estimate: the average moving range of consecutive values
  divided by d2 = 1.128, so the values must be in time order.
- A value exactly on a limit is inside the specification.
- `sigma_level` is the "short-term" sigma of the Six Sigma tables: the inverse normal of the observed yield
  plus the conventional 1.5 shift (3.4 DPMO gives 6.0). It is None when nothing is outside (the yield is 1
  and the level unbounded) and also when everything is outside.
"""

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np

# d2 for subgroups of two consecutive values (moving range of span 2).
D2 = 1.128
SIGMA_SHIFT = 1.5


def series_summary(*, values: Sequence[float], lsl: float | None = None, usl: float | None = None) -> dict:
    data = np.asarray(values, dtype=float)
    # A non-finite value carries no measurement and would turn every figure into NaN.
    data = data[np.isfinite(data)]
    outside = np.zeros(data.size, dtype=bool)
    if lsl is not None:
        outside |= data < lsl
    if usl is not None:
        outside |= data > usl
    return summary_from_aggregates(
        count=int(data.size),
        mean=float(np.mean(data)) if data.size else None,
        std=float(np.std(data, ddof=1)) if data.size >= 2 else None,
        minimum=float(np.min(data)) if data.size else None,
        maximum=float(np.max(data)) if data.size else None,
        percentiles=[float(p) for p in np.percentile(data, [50, 5, 95])] if data.size else [None] * 3,
        mean_moving_range=float(np.mean(np.abs(np.diff(data)))) if data.size >= 2 else None,
        outside=int(np.count_nonzero(outside)),
        lsl=lsl,
        usl=usl,
    )


def series_moments(*, values: Sequence[float]) -> dict | None:
    """What a summary needs of a stretch of values in time order that adds up across stretches (a rollup
    bucket holds the same): count, sum, min, max, squared deviations from their mean, sum of absolute steps
    between consecutive values, first and last value. None without values."""
    data = np.asarray(values, dtype=float)
    if not data.size:
        return None
    return {
        "count": int(data.size),
        "sum": float(np.sum(data)),
        "min": float(np.min(data)),
        "max": float(np.max(data)),
        "m2": float(np.sum((data - np.mean(data)) ** 2)),
        "steps": float(np.sum(np.abs(np.diff(data)))),
        "first": float(data[0]),
        "last": float(data[-1]),
    }


def moments_combine(*, parts: Sequence[dict | None]) -> dict | None:
    """Moments of consecutive stretches (oldest first; None for an empty one) as one stretch's: squared
    deviations by Chan et al.'s parallel formula, the step between stretches from one's last value to the
    next one's first."""
    total = None
    for part in parts:
        if part is None:
            continue
        if total is None:
            total = dict(part)
            continue
        count = total["count"] + part["count"]
        delta = part["sum"] / part["count"] - total["sum"] / total["count"]
        total = {
            "count": count,
            "sum": total["sum"] + part["sum"],
            "min": min(total["min"], part["min"]),
            "max": max(total["max"], part["max"]),
            "m2": total["m2"] + part["m2"] + delta * delta * total["count"] * part["count"] / count,
            "steps": total["steps"] + part["steps"] + abs(part["first"] - total["last"]),
            "first": total["first"],
            "last": part["last"],
        }
    return total


def summary_from_moments(
    *,
    moments: dict | None,
    percentiles: Sequence[float | None],
    outside: int,
    lsl: float | None,
    usl: float | None,
) -> dict:
    """The summary from moments (series_moments, moments_combine) and what needs every value."""
    count = moments["count"] if moments else 0
    return summary_from_aggregates(
        count=count,
        mean=moments["sum"] / count if count else None,
        std=math.sqrt(max(moments["m2"], 0.0) / (count - 1)) if count >= 2 else None,
        minimum=moments["min"] if count else None,
        maximum=moments["max"] if count else None,
        percentiles=percentiles,
        mean_moving_range=moments["steps"] / (count - 1) if count >= 2 else None,
        outside=outside,
        lsl=lsl,
        usl=usl,
    )


def summary_from_aggregates(
    *,
    count: int,
    mean: float | None,
    std: float | None,
    minimum: float | None,
    maximum: float | None,
    percentiles: Sequence[float | None],
    mean_moving_range: float | None,
    outside: int,
    lsl: float | None,
    usl: float | None,
) -> dict:
    """The summary from aggregates that a database computes as well as numpy: the median, 5th and 95th
    percentiles (in that order), the mean absolute difference of consecutive values, and how many values
    are outside [lsl, usl]."""
    if lsl is not None and usl is not None and lsl > usl:
        raise ValueError(f"lsl ({lsl}) is above usl ({usl})")
    sigma_within = mean_moving_range / D2 if mean_moving_range is not None and count >= 2 else None
    median, p05, p95 = percentiles
    return {
        "count": count,
        "mean": mean,
        "std": std,
        "min": minimum,
        "max": maximum,
        "median": median,
        "p05": p05,
        "p95": p95,
        "sigma_within": sigma_within,
        "ucl": mean + 3 * sigma_within if sigma_within is not None else None,
        "lcl": mean - 3 * sigma_within if sigma_within is not None else None,
        "cp": _capability(lsl=lsl, usl=usl, sigma=sigma_within),
        "cpk": _capability_k(lsl=lsl, usl=usl, mean=mean, sigma=sigma_within),
        "pp": _capability(lsl=lsl, usl=usl, sigma=std),
        "ppk": _capability_k(lsl=lsl, usl=usl, mean=mean, sigma=std),
        **_defects(count=count, outside=outside, lsl=lsl, usl=usl),
    }


def _capability(*, lsl: float | None, usl: float | None, sigma: float | None) -> float | None:
    if lsl is None or usl is None or not sigma:
        return None
    return (usl - lsl) / (6 * sigma)


def _capability_k(
    *, lsl: float | None, usl: float | None, mean: float | None, sigma: float | None
) -> float | None:
    if mean is None or not sigma:
        return None
    distances = []
    if usl is not None:
        distances.append(usl - mean)
    if lsl is not None:
        distances.append(mean - lsl)
    return min(distances) / (3 * sigma) if distances else None


def _defects(*, count: int, outside: int, lsl: float | None, usl: float | None) -> dict:
    if (lsl is None and usl is None) or count == 0:
        return {"dpmo": None, "sigma_level": None}
    defect_rate = outside / count
    sigma_level = None
    if 0 < defect_rate < 1:
        sigma_level = NormalDist().inv_cdf(1 - defect_rate) + SIGMA_SHIFT
    return {"dpmo": defect_rate * 1_000_000, "sigma_level": sigma_level}
