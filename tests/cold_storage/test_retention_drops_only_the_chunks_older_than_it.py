"""READINGS_RETENTION_DAYS drops, in the daily maintenance, the packed days whose every reading is older
than it, and nothing else; unset, every packed day is kept."""

from datetime import timedelta

from analytics.rollups import readings_maintenance_run
from meters.models import ColdChunk
from meters.readings.series import metric_series

from .conftest import END, START

NOW = END + timedelta(days=2, hours=1)  # every day of the meter is old enough to be packed


def test_without_retention_every_packed_day_is_kept(meter, settings):
    settings.READINGS_RETENTION_DAYS = None

    result = readings_maintenance_run(now=NOW)

    assert result.days_packed == 4 and result.chunks_dropped == 0
    assert len(metric_series(device_id=meter.pk, metric="power", start=START, end=END)) == 4 * 144


def test_retention_drops_the_days_older_than_it_only(meter, settings):
    settings.READINGS_RETENTION_DAYS = 4  # NOW - 4 days is 1 hour into the meter's third day

    result = readings_maintenance_run(now=NOW)

    assert result.chunks_dropped == 3  # the first day's chunk and the second day's two
    assert ColdChunk.objects.filter(device_id=meter.pk).count() == 2
    points = metric_series(device_id=meter.pk, metric="power", start=START, end=END)
    assert points[0][0] == START + timedelta(days=2)
    assert len(points) == 2 * 144
