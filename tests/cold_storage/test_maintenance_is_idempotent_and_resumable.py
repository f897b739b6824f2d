"""The daily maintenance packs each old day once: a second run finds nothing to do, and a run killed
halfway keeps the days it packed and is finished by the next one, with every reading still there."""

from datetime import timedelta

import pytest

from analytics.rollups import readings_maintenance_run
from meters.models import ColdChunk
from meters.readings import chunks
from meters.readings.series import metric_series

from .conftest import END, START, meter_readings

NOW = START + timedelta(days=4, hours=3)  # the first two days are old enough to be packed


def _stored(device_id: int) -> list:
    return metric_series(device_id=device_id, metric="energy_import", start=START, end=END)


def test_a_second_run_packs_nothing_and_changes_nothing(meter):
    first = readings_maintenance_run(now=NOW)
    chunks_after_first = list(ColdChunk.objects.filter(device_id=meter.pk).values_list("first_ts", "data"))

    second = readings_maintenance_run(now=NOW)

    assert (first.days_packed, first.readings_packed) == (2, 2 * 144)
    assert (second.days_packed, second.readings_packed, second.buckets) == (0, 0, 0)
    assert (
        list(ColdChunk.objects.filter(device_id=meter.pk).values_list("first_ts", "data"))
        == chunks_after_first
    )
    assert _stored(meter.pk) == [(ts, metrics["energy_import"]) for ts, metrics in meter_readings()]


def test_a_run_killed_after_one_day_keeps_it_and_the_next_run_finishes(meter, monkeypatch):
    day_pack, calls = chunks._day_pack, []

    def killed_on_the_second_day(**kwargs):
        calls.append(kwargs["day"])
        if len(calls) == 2:
            raise SystemExit("killed")
        return day_pack(**kwargs)

    monkeypatch.setattr(chunks, "_day_pack", killed_on_the_second_day)
    with pytest.raises(SystemExit):
        readings_maintenance_run(now=NOW)
    monkeypatch.setattr(chunks, "_day_pack", day_pack)

    assert ColdChunk.objects.filter(device_id=meter.pk).count() == 1
    assert readings_maintenance_run(now=NOW).days_packed == 1
    assert _stored(meter.pk) == [(ts, metrics["energy_import"]) for ts, metrics in meter_readings()]
