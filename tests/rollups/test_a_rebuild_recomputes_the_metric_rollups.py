"""`manage.py rollups_rebuild` recomputes the metric rollups from the readings, as the energy buckets."""

import io

from django.core.management import call_command
from django.db import connection

from analytics.rollups import rollups_close

from .conftest import END, START, assert_same_groups, groups_from_readings, groups_from_selector


def test_a_rebuild_recomputes_spoilt_metric_rollups(meter):
    rollups_close(device_id=meter.pk, until=END)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meters_metricrollup SET maximums = array_fill(1e9::float8, ARRAY[96])")

    call_command("rollups_rebuild", "--client", "acme", stdout=io.StringIO())

    query = {"device_id": meter.pk, "metric": "power", "start": START, "end": END, "resolution": "1h"}
    assert_same_groups(groups_from_selector(**query), groups_from_readings(**query))
