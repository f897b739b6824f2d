"""Five days of a meter's readings every five minutes across New York's change back from daylight time,
with a counter reset, a glitch and power both ways: what the rollups must sum exactly as the readings do."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from analytics.energy import energy_per_period
from analytics.selectors import device_energy_periods, device_metric_groups, energy_series_all
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.series import metric_series
from tests.helpers.devices import device_add

TZ = "America/New_York"
# Midnight in New York on 30 October 2025 (EDT, UTC-4); the clocks go back on 2 November.
START = datetime(2025, 10, 30, 4, tzinfo=UTC)
END = START + timedelta(days=5, hours=1)
STEP = timedelta(minutes=5)
RESET_AT = datetime(2025, 10, 31, 15, 2, 30, tzinfo=UTC)
GLITCH_AT = datetime(2025, 11, 2, 9, 0, tzinfo=UTC)


def meter_readings(*, start: datetime, end: datetime) -> list[tuple[datetime, dict]]:
    readings, counter, moment = [], 12000.0, start
    while moment < end:
        hour = moment.hour
        counter += 0.05 + 0.01 * (hour % 7)
        if moment >= RESET_AT and counter > 1000:
            counter = 0.25  # the meter was replaced
        imported = 0.0 if moment == GLITCH_AT else counter
        watts = 900.0 * ((hour % 12) - 5.5)  # both signs: export comes from the negative part
        readings.append((moment, {"energy_import": imported, "power": watts}))
        moment += STEP
    return readings


@pytest.fixture
def meter(in_acme):
    device = device_add(in_acme)
    readings_ingest(
        readings=[
            ReadingIn(device_id=device.pk, ts=ts, metrics=metrics)
            for ts, metrics in meter_readings(start=START, end=END)
        ]
    )
    return device


def energy_from_readings(*, device_id: int, interval: str, start: datetime, end: datetime) -> list[dict]:
    series = energy_series_all(device_id=device_id, start=start, end=end)
    return energy_per_period(interval=interval, tz=TZ, start=start, end=end, **series)


def energy_from_selector(*, device_id: int, interval: str, start: datetime, end: datetime) -> list[dict]:
    device = Device.objects.get(pk=device_id)
    return device_energy_periods(device=device, interval=interval, time_zone=TZ, start=start, end=end)


def assert_same_energy(got: list[dict], expected: list[dict]) -> None:
    assert [row["period"] for row in got] == [row["period"] for row in expected]
    for field in ("import_kwh", "export_kwh", "net_kwh"):
        assert [row[field] for row in got] == pytest.approx([row[field] for row in expected], abs=1e-9)


def groups_from_readings(
    *, device_id: int, metric: str, start: datetime, end: datetime, resolution: str
) -> list:
    """Count, mean, min and max per 15 minutes, New York hour or New York day, computed in Python from the
    readings: what the rollups must give."""
    zone = zoneinfo.ZoneInfo(TZ)

    def group_of(ts: datetime) -> float:
        if resolution == "15m":
            return ts.timestamp() // 900 * 900
        local = ts.astimezone(zone)
        if resolution == "1h":
            return local.replace(minute=0, second=0, microsecond=0).timestamp()
        return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()

    groups: dict[float, list[float]] = {}
    for ts, value in metric_series(device_id=device_id, metric=metric, start=start, end=end):
        groups.setdefault(group_of(ts), []).append(value)
    return [
        {
            "ts": datetime.fromtimestamp(epoch, UTC),
            "count": len(values),
            "mean": sum(values) / len(values),
            "min": min(values),
            "max": max(values),
        }
        for epoch, values in sorted(groups.items())
    ]


def groups_from_selector(*, device_id: int, metric: str, start: datetime, end: datetime, resolution: str):
    device = Device.objects.get(pk=device_id)
    return device_metric_groups(
        device=device, metric=metric, start=start, end=end, resolution=resolution, time_zone=TZ
    )


def assert_same_groups(got: list[dict], expected: list[dict]) -> None:
    assert [(row["ts"], row["count"]) for row in got] == [(row["ts"], row["count"]) for row in expected]
    for field in ("min", "max"):
        assert [row[field] for row in got] == [row[field] for row in expected], field
    assert [row["mean"] for row in got] == pytest.approx([row["mean"] for row in expected], rel=1e-12)


def assert_same_summary(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for field, value in expected.items():
        if value is None:
            assert got[field] is None, field
        else:
            assert got[field] == pytest.approx(value, rel=1e-9, abs=1e-9), field
