"""A counter that falls is a meter reset, as Home Assistant's total_increasing: the new value is the energy
used since the reset. A dip of less than 10 % is noise and is not counted."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from analytics.energy import energy_per_period

TZ = "America/Sao_Paulo"
SAO_PAULO = ZoneInfo(TZ)


def _hourly(*, values):
    readings = [(datetime(2024, 5, 10, 10 + k, tzinfo=SAO_PAULO), value) for k, value in enumerate(values)]
    return energy_per_period(
        interval="hour",
        tz=TZ,
        start=readings[0][0],
        end=readings[-1][0],
        energy_import=readings,
        energy_export=None,
        power=None,
    )


def test_after_a_reset_the_new_value_is_the_energy_since_the_reset():
    rows = _hourly(values=[500.0, 502.0, 1.0, 4.0])

    assert [row["import_kwh"] for row in rows] == pytest.approx([2.0, 1.0, 3.0])


def test_a_reset_to_zero_adds_nothing_for_its_hour():
    rows = _hourly(values=[500.0, 502.0, 0.0, 4.0])

    assert [row["import_kwh"] for row in rows] == pytest.approx([2.0, 0.0, 4.0])


def test_a_small_dip_is_held_and_never_gives_negative_energy():
    rows = _hourly(values=[100.0, 99.9, 101.0])

    assert [row["import_kwh"] for row in rows] == pytest.approx([0.0, 1.0])


def test_a_fall_of_more_than_ten_percent_is_a_reset_once_the_next_reading_confirms_it():
    assert [row["import_kwh"] for row in _hourly(values=[100.0, 89.0, 89.5])] == pytest.approx([89.0, 0.5])
    assert [row["import_kwh"] for row in _hourly(values=[100.0, 90.0, 90.5])] == pytest.approx([0.0, 0.0])
