"""Six Sigma figures against the values every Six Sigma table prints."""

import numpy as np
import pytest

from analytics.stats import series_summary


def _series_with_defects(*, size, defects):
    values = np.full(size, 10.0)
    values[:defects] = 20.0
    return values


@pytest.mark.parametrize(
    ("size", "defects", "dpmo", "sigma_level"),
    [
        (1_000_000, 66_807, 66_807, 3.0),
        (1_000_000, 6_210, 6_210, 4.0),
        (1_000_000, 233, 233, 5.0),
        # 1 in 294 118 is 3.4 per million: the famous six sigma.
        (294_118, 1, 3.4, 6.0),
    ],
)
def test_it_reads_the_sigma_level_of_the_tables(size, defects, dpmo, sigma_level):
    summary = series_summary(values=_series_with_defects(size=size, defects=defects), usl=15)

    assert summary["dpmo"] == pytest.approx(dpmo, abs=1e-3)
    assert summary["sigma_level"] == pytest.approx(sigma_level, abs=1e-3)


def test_a_six_sigma_process_shifted_by_one_and_a_half_sigma_has_cp_2_and_cpk_1_5():
    # Alternating 10 -/+ 0.564: every moving range is 1.128, so sigma_within is exactly 1.
    values = [9.436, 10.564] * 50

    summary = series_summary(values=values, lsl=10 - 7.5, usl=10 + 4.5)

    assert summary["sigma_within"] == pytest.approx(1.0)
    assert summary["cp"] == pytest.approx(2.0)
    assert summary["cpk"] == pytest.approx(1.5)


def test_a_centred_process_has_cpk_equal_to_cp():
    summary = series_summary(values=[9.436, 10.564] * 50, lsl=7, usl=13)

    assert summary["cp"] == pytest.approx(1.0)
    assert summary["cpk"] == pytest.approx(1.0)
