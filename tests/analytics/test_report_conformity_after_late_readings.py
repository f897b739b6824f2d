"""The monthly report keeps each settled day's voltage conformity, and a reading stored late for a day
already shown changes the report as if nothing had been kept."""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from analytics.selectors import site_month_report
from tests.helpers.devices import device_add, readings_store

START = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def _conformity(acme) -> dict:
    with tenant_context(acme):
        (conformity,) = site_month_report(client=acme, year=2025, month=3)["conformity"]
    return conformity


def test_a_late_reading_changes_a_month_already_shown(acme, commits_run):
    meter = device_add(acme, name="Entrada", role="grid", nominal_voltage=127)
    steady = [(START + timedelta(seconds=30 * step), {"voltage_l1": 127.0}) for step in range(40)]
    with commits_run(execute=True):
        readings_store(acme, meter, steady)
    shown = _conformity(acme)
    assert (shown["count"], shown["drc"]) == (2, 0)

    # The second window's readings, re-sent a year later by a gateway that buffered them, far too low.
    late = [(ts, {"voltage_l1": 100.0}) for ts, _ in steady[20:]]
    with commits_run(execute=True):
        readings_store(acme, meter, late)

    again = _conformity(acme)
    assert (again["count"], again["nlc"], again["drc"]) == (2, 1, 50)


def test_a_report_shown_twice_reads_the_same(acme):
    meter = device_add(acme, name="Entrada", role="grid", nominal_voltage=127)
    readings_store(
        acme, meter, [(START + timedelta(seconds=30 * step), {"voltage_l1": 113.0}) for step in range(60)]
    )
    first, second = _conformity(acme), _conformity(acme)
    assert first == second
    assert (first["count"], first["nlp"], first["drp"]) == (3, 3, 100)


def test_this_months_report_counts_todays_newest_windows(acme, commits_run):
    meter = device_add(acme, name="Entrada", role="grid", nominal_voltage=127)
    now = timezone.now()
    # A settled hour of today and the last minutes: the first is kept, the newest computed on each view.
    times = [now - timedelta(hours=4), now - timedelta(minutes=20)]
    with commits_run(execute=True):
        readings_store(acme, meter, [(ts, {"voltage_l1": 140.0}) for ts in times])
    local = timezone.localtime(times[-1], zoneinfo.ZoneInfo(acme.time_zone))
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    shown = [ts for ts in times if ts >= month_start]

    for _view in range(2):
        with tenant_context(acme):
            (conformity,) = site_month_report(client=acme, year=local.year, month=local.month)["conformity"]
        assert (conformity["count"], conformity["nlc"]) == (len(shown), len(shown))
