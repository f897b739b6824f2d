"""Series too short or too flat for a figure give None for it, never NaN, inf or an exception."""

import json
import math

import pytest

from analytics.stats import series_summary

LIMIT_FIELDS = ("cp", "cpk", "pp", "ppk", "dpmo", "sigma_level")


def test_an_empty_series_has_a_count_and_nothing_else():
    summary = series_summary(values=[], lsl=1, usl=2)

    assert summary.pop("count") == 0
    assert set(summary.values()) == {None}


def test_a_single_value_has_no_spread():
    summary = series_summary(values=[5.0], lsl=4, usl=6)

    assert summary["mean"] == summary["min"] == summary["max"] == summary["median"] == 5.0
    assert summary["p05"] == summary["p95"] == 5.0
    for field in ("std", "sigma_within", "ucl", "lcl", "cp", "cpk", "pp", "ppk", "sigma_level"):
        assert summary[field] is None, field
    assert summary["dpmo"] == 0


def test_a_flat_series_has_zero_spread_and_no_capability():
    summary = series_summary(values=[3.0, 3.0, 3.0], lsl=1, usl=5)

    assert summary["std"] == 0
    assert summary["sigma_within"] == 0
    assert summary["ucl"] == summary["lcl"] == 3.0
    for field in ("cp", "cpk", "pp", "ppk"):
        assert summary[field] is None, field


def test_without_limits_the_limit_fields_are_present_and_null():
    summary = series_summary(values=[1.0, 2.0, 4.0])

    for field in LIMIT_FIELDS:
        assert summary[field] is None, field


def test_an_upper_limit_alone_gives_the_one_sided_figures():
    summary = series_summary(values=[2, 4, 4, 4, 5, 5, 7, 9], usl=8.5)

    assert summary["cp"] is None
    assert summary["pp"] is None
    assert summary["cpk"] == pytest.approx(3.5 * 1.128 / 3)
    assert summary["ppk"] == pytest.approx(3.5 / (3 * (32 / 7) ** 0.5))
    assert summary["dpmo"] == 125_000


def test_a_lower_limit_alone_gives_the_one_sided_figures():
    summary = series_summary(values=[2, 4, 4, 4, 5, 5, 7, 9], lsl=3)

    assert summary["cp"] is None
    assert summary["cpk"] == pytest.approx(2 * 1.128 / 3)
    assert summary["dpmo"] == 125_000


def test_when_everything_is_outside_the_sigma_level_is_null():
    summary = series_summary(values=[1.0, 2.0], lsl=5, usl=6)

    assert summary["dpmo"] == 1_000_000
    assert summary["sigma_level"] is None


def test_non_finite_values_are_left_out_and_the_result_is_strict_json():
    summary = series_summary(values=[1.0, math.nan, 3.0, math.inf], lsl=0, usl=2)

    assert summary["count"] == 2
    assert summary["mean"] == 2.0
    json.dumps(summary, allow_nan=False)


def test_limits_in_the_wrong_order_are_refused():
    with pytest.raises(ValueError, match="lsl"):
        series_summary(values=[1.0, 2.0], lsl=5, usl=4)
