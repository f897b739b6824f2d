"""A device without counters integrates power (W) over time: the positive part is import, the negative part
export, split exactly where power crosses zero."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from analytics.energy import energy_per_period

TZ = "America/Sao_Paulo"
SAO_PAULO = ZoneInfo(TZ)


def _local(*args):
    return datetime(*args, tzinfo=SAO_PAULO)


def _hours(*, start, end, **sources):
    return energy_per_period(
        interval="hour",
        tz=TZ,
        start=start,
        end=end,
        **{"energy_import": None, "energy_export": None, "power": None, **sources},
    )


def test_a_sign_change_is_split_at_its_zero_crossing():
    # 3000 W at 10:30 falling to -1000 W at 11:30: zero at 11:15, 1000 W at 11:00.
    power = [(_local(2024, 5, 10, 10, 30), 3000.0), (_local(2024, 5, 10, 11, 30), -1000.0)]

    rows = _hours(start=_local(2024, 5, 10, 10), end=_local(2024, 5, 10, 13), power=power)

    # 10:30-11:00: half an hour from 3000 to 1000 W. 11:00-11:15: triangle of 1000 W. 11:15-11:30: -1000 W.
    assert [row["import_kwh"] for row in rows] == pytest.approx([1.0, 0.125, 0.0])
    assert [row["export_kwh"] for row in rows] == pytest.approx([0.0, 0.125, 0.0])
    assert [row["net_kwh"] for row in rows] == pytest.approx([1.0, 0.0, 0.0])


def test_steady_power_over_thirty_second_readings_gives_power_times_time():
    start = _local(2024, 5, 10)
    power = [(start + timedelta(seconds=30 * k), -500.0) for k in range(2 * 2880 + 1)]

    rows = energy_per_period(
        interval="day",
        tz=TZ,
        start=start,
        end=start + timedelta(days=2),
        energy_import=None,
        energy_export=None,
        power=power,
    )

    assert [row["export_kwh"] for row in rows] == pytest.approx([12.0, 12.0])
    assert [row["import_kwh"] for row in rows] == [0.0, 0.0]


def test_a_gap_longer_than_an_hour_adds_no_energy():
    power = [
        (_local(2024, 5, 10, 10), 1000.0),
        (_local(2024, 5, 10, 10, 30), 1000.0),
        (_local(2024, 5, 10, 12), 1000.0),
        (_local(2024, 5, 10, 12, 30), 1000.0),
    ]

    rows = _hours(start=_local(2024, 5, 10, 10), end=_local(2024, 5, 10, 13), power=power)

    assert [row["import_kwh"] for row in rows] == pytest.approx([0.5, 0.0, 0.5])


def test_counters_win_over_power_and_a_missing_export_counter_takes_power():
    hour = (_local(2024, 5, 10, 10), _local(2024, 5, 10, 11))
    counter = [(hour[0], 10.0), (hour[1], 15.0)]
    power = [(hour[0], 1000.0), (hour[0] + timedelta(minutes=30), -1000.0), (hour[1], -1000.0)]

    rows = _hours(start=hour[0], end=hour[1], energy_import=counter, power=power)

    assert rows[0]["import_kwh"] == pytest.approx(5.0)
    # Power is negative from 10:15 to 11:00: a triangle then a rectangle of 1000 W.
    assert rows[0]["export_kwh"] == pytest.approx(0.125 + 0.5)


def test_with_both_counters_power_is_ignored():
    hour = (_local(2024, 5, 10, 10), _local(2024, 5, 10, 11))
    power = [(hour[0], -9000.0), (hour[1], -9000.0)]

    rows = _hours(
        start=hour[0],
        end=hour[1],
        energy_import=[(hour[0], 1.0), (hour[1], 3.0)],
        energy_export=[(hour[0], 0.0), (hour[1], 0.5)],
        power=power,
    )

    assert (rows[0]["import_kwh"], rows[0]["export_kwh"]) == pytest.approx((2.0, 0.5))


def test_an_import_counter_without_power_gives_zero_export():
    hour = (_local(2024, 5, 10, 10), _local(2024, 5, 10, 11))

    counter = [(hour[0], 1.0), (hour[1], 3.0)]

    rows = _hours(start=hour[0], end=hour[1], energy_import=counter, energy_export=[])

    row = rows[0]
    assert (row["import_kwh"], row["export_kwh"], row["net_kwh"]) == pytest.approx((2.0, 0.0, 2.0))


def test_an_empty_counter_falls_back_to_power():
    hour = (_local(2024, 5, 10, 10), _local(2024, 5, 10, 11))

    rows = _hours(start=hour[0], end=hour[1], energy_import=[], power=[(hour[0], 2000.0), (hour[1], 2000.0)])

    assert rows[0]["import_kwh"] == pytest.approx(2.0)
