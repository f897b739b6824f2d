"""A long range's summary is aggregated by the database (its values never come into memory) and equals the
summary computed from the values; a short one is computed from the values."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import selectors
from analytics.selectors import device_metric_summary
from analytics.stats import series_summary
from meters.models import Device
from meters.readings.series import metric_series

from .conftest import END, START, assert_same_summary


@pytest.fixture(autouse=True)
def long_range_is_over_two_days(monkeypatch):
    """The fixture's five days stand for a long range: the threshold (a month) would need a month of them."""
    monkeypatch.setattr(selectors, "SUMMARY_IN_DATABASE_SPAN", timedelta(days=2))


def _summary_and_queries(*, device_id: int, start, end, lsl, usl) -> tuple[dict, str]:
    with CaptureQueriesContext(connection) as queries:
        summary = device_metric_summary(
            device=Device.objects.get(pk=device_id), metric="power", start=start, end=end, lsl=lsl, usl=usl
        )
    return summary, " ".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize(("lsl", "usl"), [(None, None), (-3000.0, 2500.0), (None, 1000.0)])
def test_a_long_range_summary_equals_the_values_summary(meter, lsl, usl):
    values = [value for _, value in metric_series(device_id=meter.pk, metric="power", start=START, end=END)]

    summary, sql = _summary_and_queries(device_id=meter.pk, start=START, end=END, lsl=lsl, usl=usl)

    assert "percentile_cont" in sql
    assert_same_summary(summary, series_summary(values=values, lsl=lsl, usl=usl))


def test_an_open_range_is_aggregated_by_the_database_too(meter):
    summary, sql = _summary_and_queries(device_id=meter.pk, start=None, end=None, lsl=None, usl=None)

    assert "percentile_cont" in sql
    assert summary["count"] == len(metric_series(device_id=meter.pk, metric="power"))


def test_a_day_is_summarised_from_its_values(meter):
    summary, sql = _summary_and_queries(
        device_id=meter.pk, start=START, end=START + timedelta(days=1), lsl=None, usl=None
    )

    assert "percentile_cont" not in sql
    assert summary["count"] == 288


def test_an_empty_long_range_has_a_count_of_zero_and_no_figures(meter):
    summary, _ = _summary_and_queries(
        device_id=meter.pk, start=END + timedelta(days=1), end=END + timedelta(days=9), lsl=1.0, usl=2.0
    )

    assert summary["count"] == 0
    assert {value for field, value in summary.items() if field != "count"} == {None}
