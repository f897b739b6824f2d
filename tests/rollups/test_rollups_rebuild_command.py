"""`manage.py rollups_rebuild` recomputes a client's rollups from the readings, all or from a date on."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from analytics.rollups import rollups_close

from .conftest import END, START, assert_same_energy, energy_from_readings, energy_from_selector


def _rollups_spoil(device_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meters_energyrollup SET import_kwh = 99 WHERE device_id = %s", [device_id])


def _energy_by_day(device_id: int) -> tuple[list[dict], list[dict]]:
    return (
        energy_from_selector(device_id=device_id, interval="day", start=START, end=END),
        energy_from_readings(device_id=device_id, interval="day", start=START, end=END),
    )


def test_a_rebuild_recomputes_every_bucket_from_the_readings(meter):
    rollups_close(device_id=meter.pk, until=END)
    _rollups_spoil(meter.pk)

    call_command("rollups_rebuild", "--client", "acme", stdout=io.StringIO())

    assert_same_energy(*_energy_by_day(meter.pk))


def test_a_rebuild_since_a_date_leaves_the_buckets_before_it(meter):
    rollups_close(device_id=meter.pk, until=END)
    _rollups_spoil(meter.pk)

    call_command("rollups_rebuild", "--client", "acme", "--since", "2025-11-01", stdout=io.StringIO())

    got, expected = _energy_by_day(meter.pk)
    assert got[0]["import_kwh"] == pytest.approx(99 * 96)
    assert_same_energy(got[2:], expected[2:])


def test_an_unknown_client_is_refused(db):
    with pytest.raises(CommandError, match="no client with slug 'nobody'"):
        call_command("rollups_rebuild", "--client", "nobody", stdout=io.StringIO())


def test_a_malformed_date_is_refused(db):
    with pytest.raises(CommandError, match="--since must be a date"):
        call_command("rollups_rebuild", "--since", "yesterday", stdout=io.StringIO())
