"""Every summary field on a series small enough to check by hand: 2, 4, 4, 4, 5, 5, 7, 9."""

import pytest

from analytics.stats import series_summary

SERIES = [2, 4, 4, 4, 5, 5, 7, 9]


def test_it_returns_exactly_the_contract_fields():
    assert set(series_summary(values=SERIES)) == {
        "count",
        "mean",
        "std",
        "min",
        "max",
        "median",
        "p05",
        "p95",
        "sigma_within",
        "ucl",
        "lcl",
        "cp",
        "cpk",
        "pp",
        "ppk",
        "dpmo",
        "sigma_level",
    }


def test_it_describes_the_series():
    summary = series_summary(values=SERIES)

    assert summary["count"] == 8
    assert summary["mean"] == 5
    # Squared deviations add up to 32; the sample deviation divides by n - 1 = 7.
    assert summary["std"] == pytest.approx((32 / 7) ** 0.5)
    assert summary["min"] == 2
    assert summary["max"] == 9
    assert summary["median"] == 4.5


def test_it_interpolates_percentiles_between_order_statistics():
    summary = series_summary(values=SERIES)

    # Rank 0.05 * 7 = 0.35 lies between 2 and 4; rank 0.95 * 7 = 6.65 between 7 and 9.
    assert summary["p05"] == pytest.approx(2.7)
    assert summary["p95"] == pytest.approx(8.3)


def test_it_estimates_sigma_within_from_the_moving_range_in_time_order():
    summary = series_summary(values=SERIES)

    # Moving ranges 2, 0, 0, 1, 0, 2, 2 average 1.
    assert summary["sigma_within"] == pytest.approx(1 / 1.128)
    assert summary["ucl"] == pytest.approx(5 + 3 / 1.128)
    assert summary["lcl"] == pytest.approx(5 - 3 / 1.128)


def test_sigma_within_changes_with_the_order_of_the_values():
    assert series_summary(values=sorted(SERIES))["sigma_within"] == pytest.approx(1 / 1.128)
    # Same values, larger jumps between neighbours: 2, 9, 4, 7, 4, 5, 4, 5 has moving ranges summing to 21.
    assert series_summary(values=[2, 9, 4, 7, 4, 5, 4, 5])["sigma_within"] == pytest.approx(21 / 7 / 1.128)


def test_it_measures_capability_against_both_limits():
    summary = series_summary(values=SERIES, lsl=2.5, usl=8.5)

    sigma_within = 1 / 1.128
    std = (32 / 7) ** 0.5
    assert summary["cp"] == pytest.approx(6 / (6 * sigma_within))
    assert summary["cpk"] == pytest.approx(2.5 / (3 * sigma_within))
    assert summary["pp"] == pytest.approx(6 / (6 * std))
    assert summary["ppk"] == pytest.approx(2.5 / (3 * std))


def test_it_counts_the_points_outside_the_limits_per_million():
    summary = series_summary(values=SERIES, lsl=2.5, usl=8.5)

    # 2 and 9 are out: two of eight.
    assert summary["dpmo"] == 250_000
    # Yield 0.75: the inverse normal is 0.67449, plus the 1.5 shift.
    assert summary["sigma_level"] == pytest.approx(2.1744897502)


def test_a_value_on_a_limit_is_inside():
    summary = series_summary(values=SERIES, lsl=2, usl=9)

    assert summary["dpmo"] == 0
    assert summary["sigma_level"] is None
