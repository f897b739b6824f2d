"""One reading out of line is a glitch of the meter or the link, not a reset: it is skipped. A fall is a
reset only when the readings after it stay down."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analytics.energy import energy_per_period

TZ = "America/Sao_Paulo"
MIDNIGHT = datetime(2024, 5, 10, tzinfo=ZoneInfo(TZ))


def _day_kwh(*, values: list[float]) -> float:
    step = timedelta(hours=23) / (len(values) - 1)
    readings = [(MIDNIGHT + k * step, value) for k, value in enumerate(values)]
    (row,) = energy_per_period(
        interval="day",
        tz=TZ,
        start=MIDNIGHT,
        end=MIDNIGHT + timedelta(days=1),
        energy_import=readings,
        energy_export=None,
        power=None,
    )
    return row["import_kwh"]


def test_a_single_zero_between_two_readings_is_skipped():
    assert _day_kwh(values=[12000.0, 0.0, 12000.1]) == pytest.approx(0.1)


def test_a_single_spike_between_two_readings_is_skipped():
    assert _day_kwh(values=[12000.0, 99999.0, 12000.1]) == pytest.approx(0.1)


def test_glitches_that_come_back_again_and_again_are_all_skipped():
    assert _day_kwh(values=[12000.0, 0.0, 12000.1, 0.0, 12000.2]) == pytest.approx(0.2)


def test_a_fall_that_the_following_readings_confirm_is_a_reset():
    assert _day_kwh(values=[12000.0, 0.0, 0.1, 0.3]) == pytest.approx(0.3)


def test_a_fall_in_the_newest_reading_waits_for_the_next_one():
    assert _day_kwh(values=[12000.0, 12000.1, 0.0]) == pytest.approx(0.1)
