"""A device chart of more than two days keeps each settled day's points, and a reading stored late for a
day already drawn changes the chart."""

import zoneinfo
from datetime import datetime, timedelta

from django_tenants.utils import tenant_context

from analytics.selectors import device_chart_points
from tests.helpers.devices import device_add, readings_store

ZONE = "America/Sao_Paulo"
START = datetime(2025, 3, 10, tzinfo=zoneinfo.ZoneInfo(ZONE))
END = START + timedelta(days=3)  # 15-minute means


def _chart(acme, meter) -> list:
    with tenant_context(acme):
        return device_chart_points(device=meter, metric="power", start=START, end=END, time_zone=ZONE)


def test_a_late_reading_changes_a_chart_already_drawn(acme, commits_run):
    meter = device_add(acme, name="Entrada", role="grid")
    noon = START + timedelta(days=1, hours=12)
    readings = [(noon + timedelta(minutes=5 * n), {"power": 100.0 * (n + 1)}) for n in range(4)]
    with commits_run(execute=True):
        readings_store(acme, meter, readings)

    drawn = _chart(acme, meter)
    assert drawn == [(noon, 200.0), (noon + timedelta(minutes=15), 400.0)]
    assert _chart(acme, meter) == drawn

    with commits_run(execute=True):
        readings_store(acme, meter, [(readings[3][0], {"power": 0.0})])
    assert _chart(acme, meter) == [(noon, 200.0), (noon + timedelta(minutes=15), 0.0)]
