"""Deleting a device deletes its metric rollups in the database, as its readings."""

from django.db import connection

from analytics.rollups import rollups_close

from .conftest import END


def _metric_rollups(device_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM meters_metricrollup WHERE device_id = %s", [device_id])
        return cursor.fetchone()[0]


def test_deleting_a_device_deletes_its_metric_rollups(meter):
    rollups_close(device_id=meter.pk, until=END)
    assert _metric_rollups(meter.pk) == 2 * 6  # power and energy_import over six UTC days

    meter.delete()

    assert _metric_rollups(meter.pk) == 0
