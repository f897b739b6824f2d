"""Four days of a meter's readings every ten minutes, with a change of its metric set on the second day,
and every read path's answer over them: what must not change when the old days are packed."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from analytics.selectors import device_energy_periods, device_metric_summary
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.rows import readings_count_capped, readings_metric_names, readings_rows, readings_table
from meters.readings.series import (
    metric_aggregates,
    metric_groups,
    metric_percentiles,
    metric_series,
    metrics_series_around,
    readings_last_ts,
    readings_latest,
    readings_recent,
)
from meters.readings.windows import metric_window_means
from tests.helpers.devices import device_add

START = datetime(2025, 3, 1, tzinfo=UTC)
END = START + timedelta(days=4)
STEP = timedelta(minutes=10)
# The meter sent its frequency too for six hours of the second day: another layout on that day.
EXTRA_FROM, EXTRA_UNTIL = START + timedelta(days=1, hours=6), START + timedelta(days=1, hours=12)
PACK_BEFORE = START + timedelta(days=2)
HOUR = timedelta(hours=1)


def meter_readings(*, start: datetime = START, end: datetime = END) -> list[tuple[datetime, dict]]:
    readings, counter, moment, step = [], 1000.0, start, 0
    while moment < end:
        counter += 0.125 + 0.001 * (step % 13)
        metrics = {
            "energy_import": counter,
            "power": 1500.0 * ((step % 24) - 11.3) / 7,
            "voltage_l1": 220.0 + (step % 17) / 10 - 0.0,
        }
        if EXTRA_FROM <= moment < EXTRA_UNTIL:
            metrics["frequency"] = 60.0 - (step % 5) / 100
        readings.append((moment, metrics))
        moment, step = moment + STEP, step + 1
    return readings


def readings_of(device_id: int, readings: list[tuple[datetime, dict]]) -> list[ReadingIn]:
    return [ReadingIn(device_id=device_id, ts=ts, metrics=metrics) for ts, metrics in readings]


@pytest.fixture
def meter(in_acme):
    device = device_add(in_acme)
    readings_ingest(readings=readings_of(device.pk, meter_readings()))
    return device


def every_read(device) -> dict:
    """What each read path answers over the meter's whole range and ranges cutting through the days."""
    cut = START + timedelta(days=1, hours=7, minutes=5)
    zone = zoneinfo.ZoneInfo("America/Sao_Paulo")
    answers = {}
    for name, (start, end) in {"all": (START, END), "cut": (cut, cut + timedelta(days=1, hours=3))}.items():
        for metric in ("energy_import", "voltage_l1", "frequency"):
            answers[name, "series", metric] = metric_series(
                device_id=device.pk, metric=metric, start=start, end=end
            )
            answers[name, "newest", metric] = metric_series(
                device_id=device.pk, metric=metric, start=start, end=end, limit=7, newest_first=True
            )
            answers[name, "oldest", metric] = metric_series(
                device_id=device.pk, metric=metric, start=start, end=end, limit=500
            )
        answers[name, "rows"] = list(readings_rows(device_id=device.pk, start=start, end=end, chunk_rows=50))
        columns = readings_metric_names(device_id=device.pk, start=start, end=end)
        answers[name, "columns"] = columns
        answers[name, "table"] = list(
            readings_table(device_id=device.pk, columns=columns, start=start, end=end, zone=zone)
        )
        answers[name, "count"] = readings_count_capped(device_id=device.pk, start=start, end=end, cap=10**6)
        answers[name, "energy"] = device_energy_periods(
            device=device, interval="hour", time_zone="America/Sao_Paulo", start=start, end=end
        )
        around = metrics_series_around(
            device_id=device.pk, metrics=["energy_import", "power"], start=start, end=end, context=2
        )
        answers[name, "around"] = {
            metric: (points.seconds.tolist(), points.values.tolist()) for metric, points in around.items()
        }
        means = metric_window_means(
            device_ids=[device.pk], metrics=["voltage_l1", "frequency"], start=start, end=end, window=HOUR
        )
        answers["means", name] = {
            key: (starts.tolist(), table.tolist()) for key, (starts, table) in means.items()
        }
    answers["before the first"] = metric_series(
        device_id=device.pk, metric="power", end=START + timedelta(hours=1), limit=2, newest_first=True
    )
    for resolution in ("15m", "1h", "1d"):
        answers["groups", resolution] = metric_groups(
            device_id=device.pk,
            metric="voltage_l1",
            start=START,
            end=END,
            resolution=resolution,
            time_zone="America/Sao_Paulo",
        )
    answers["percentiles"] = metric_percentiles(
        device_id=device.pk, metric="voltage_l1", start=START, end=END, lsl=220.2, usl=221.0
    )
    answers["open summary"] = device_metric_summary(
        device=device, metric="voltage_l1", start=None, end=None, lsl=220.2, usl=221.0
    )
    answers["latest"] = readings_latest(device_ids=[device.pk])
    answers["last ts"] = readings_last_ts(device_ids=[device.pk])
    answers["recent"] = readings_recent(device_id=device.pk, limit=5)
    answers["aggregates"] = metric_aggregates(
        device_id=device.pk, metric="voltage_l1", start=None, end=None, lsl=220.2, usl=221.0
    )
    answers["summary"] = device_metric_summary(
        device=device, metric="voltage_l1", start=START, end=END, lsl=220.2, usl=221.0
    )
    return answers


def assert_same_answers(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for key in expected:
        if key[0] == "groups":
            # Summed by numpy over packed values, by the database over hot ones: equal to float rounding.
            got_rows, expected_rows = sorted(got[key]), sorted(expected[key])
            assert [row[:4] for row in got_rows] == [row[:4] for row in expected_rows], key
            assert [row[4] for row in got_rows] == pytest.approx([row[4] for row in expected_rows], rel=1e-12)
        elif key[0] == "means":
            # Averaged by numpy over packed values, by the database over hot ones: equal to float rounding.
            assert got[key].keys() == expected[key].keys(), key
            for device_id, (starts, table) in expected[key].items():
                assert got[key][device_id][0] == starts, key
                assert np.allclose(got[key][device_id][1], table, rtol=1e-12, equal_nan=True), key
        elif key == "percentiles":
            assert (
                got[key][0] == pytest.approx(expected[key][0], rel=1e-12) and got[key][1] == expected[key][1]
            )
        elif key in ("aggregates", "summary", "open summary"):
            # Summed by numpy over packed values, by the database over hot ones: equal to float rounding.
            assert got[key].keys() == expected[key].keys()
            for figure, value in expected[key].items():
                assert got[key][figure] == pytest.approx(value, rel=1e-12, abs=1e-12), (key, figure)
        else:
            assert got[key] == expected[key], key
