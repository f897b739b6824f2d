"""With its buckets closed, a long range's summary takes count, mean, deviation, min, max and the moving
range from the rollups, the percentiles and the count outside the limits from the database's sort of the
values, and equals the summary computed from the values."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.rollups import rollups_close
from analytics.selectors import device_metric_summary
from analytics.stats import series_summary
from meters.models import Device
from meters.readings.series import metric_series

from .conftest import END, START, assert_same_summary

RANGE_START = START + timedelta(minutes=37)
CLOSED_UNTIL = END - timedelta(hours=20, minutes=5)


@pytest.mark.parametrize(("lsl", "usl"), [(None, None), (-3000.0, 2500.0)])
@pytest.mark.parametrize("metric", ["power", "energy_import"])
def test_a_long_range_summary_from_the_rollups_equals_the_values_summary(meter, metric, lsl, usl):
    rollups_close(device_id=meter.pk, until=CLOSED_UNTIL)
    values = [
        value for _, value in metric_series(device_id=meter.pk, metric=metric, start=RANGE_START, end=END)
    ]

    with CaptureQueriesContext(connection) as queries:
        summary = device_metric_summary(
            device=Device.objects.get(pk=meter.pk),
            metric=metric,
            start=RANGE_START,
            end=END,
            lsl=lsl,
            usl=usl,
        )

    assert "meters_metricrollup" in " ".join(query["sql"] for query in queries.captured_queries)
    assert_same_summary(summary, series_summary(values=values, lsl=lsl, usl=usl))
