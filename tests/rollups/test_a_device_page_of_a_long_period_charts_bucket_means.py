"""The portal's device page charts a period longer than two days with each 15-minute bucket's mean, read
from the rollups, instead of every reading."""

import zoneinfo
from datetime import datetime

from django.db import connection
from django.test import Client as PageClient

from analytics.rollups import rollups_close
from analytics.selectors import device_metric_groups
from tenants.models import User
from tests.helpers.api import ACME

from .conftest import END

FIRST_DAY, LAST_DAY = "2025-10-31", "2025-11-03"


def test_the_power_chart_of_four_days_has_a_point_per_bucket(meter, acme):
    rollups_close(device_id=meter.pk, until=END)
    zone = zoneinfo.ZoneInfo(acme.time_zone)
    start = datetime(2025, 10, 31, tzinfo=zone)
    end = datetime(2025, 11, 4, tzinfo=zone)
    means = [
        group["mean"]
        for group in device_metric_groups(
            device=meter, metric="power", start=start, end=end, resolution="15m", time_zone=acme.time_zone
        )
    ]
    connection.set_schema_to_public()
    page = PageClient(HTTP_HOST=ACME)
    page.force_login(User.objects.get(username="acme-user"))

    response = page.get(f"/devices/{meter.pk}/", {"start": FIRST_DAY, "end": LAST_DAY})

    assert response.status_code == 200
    [trace] = response.context["figures"]["power"]["data"]
    assert list(trace["y"]) == means
    assert len(means) == 4 * 24 * 4  # four days of 15-minute buckets, not 1,152 readings
