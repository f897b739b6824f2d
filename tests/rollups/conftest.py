"""Five days of a meter's readings every five minutes across New York's change back from daylight time,
with a counter reset, a glitch and power both ways: what the rollups must sum exactly as the readings do."""

from datetime import UTC, datetime, timedelta

import pytest

from analytics.energy import energy_per_period
from analytics.selectors import device_energy_periods, energy_series_all
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
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
