"""Reads of the analytics domain that views, the portal and reports share: a device's energy per period,
its metric statistics, the defaults they apply, and a site's energy balance, live power and monthly report.
Views only validate and format; the figures are here.

Long ranges read the rollups (energy) or let the database aggregate (statistics), short ones the readings:
the same figures either way (docs/readings-store.md), and never a long history in memory.
"""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import numpy as np

from analytics.conformity import devices_voltage_conformity
from analytics.energy import energy_per_period, energy_per_period_of_buckets
from analytics.settled import Day, local_pieces, settled_days_figures
from analytics.site import (
    balance_totals,
    energy_balance,
    month_bounds,
    net_metering,
)
from analytics.stats import (
    moments_combine,
    series_moments,
    series_summary,
    summary_from_aggregates,
    summary_from_moments,
)
from meters.catalog import metric_voltage_range
from meters.models import Device, RollupState
from meters.readings.rollups import (
    bucket_ceil,
    bucket_floor,
    rollup_closed_until,
    rollup_energy_sums,
    rollup_metric_groups,
    rollup_metric_totals,
)
from meters.readings.series import (
    RESOLUTION_GROUPS,
    SeriesArrays,
    metric_aggregates,
    metric_groups,
    metric_percentiles,
    metric_series,
    metrics_series_around,
)
from meters.selectors import DeviceStatus
from pieng.timebounds import FAR_FUTURE, FAR_PAST
from tenants.models import Client

ENERGY_COUNTERS = ("energy_import", "energy_export")
# The glitch rule judges a reading by its neighbours, so the readings at a range's edge need two more.
ENERGY_CONTEXT = 2
# Shorter ranges are computed from the readings: at most two days of them, a few milliseconds.
ROLLUP_MIN_SPAN = timedelta(days=2)
# Energy sums closed buckets from a few hours on: today's hours are then mostly closed ones (closed hourly,
# analytics/tasks.py), and only the newest hour or two is read from the readings.
ENERGY_ROLLUP_MIN_SPAN = timedelta(hours=3)
# Settled periods' sums are kept for the pages' views (24 hours, 31 days, 12 months); a long range by hour
# (an API call) is one query, not thousands of cache keys.
KEPT_PERIODS_MAX = 400
# Without closed rollups, longer (or open) ranges are summarised by the database, their values never in
# memory; up to a month (89,280 values of 30-s readings) numpy is faster than its sorts (readings-store.md).
SUMMARY_IN_DATABASE_SPAN = timedelta(days=31)
# The resolution a series gets when none is asked: the finest that keeps it to a few thousand points
# (31 days of 15 minutes: 2,976; 125 days of hours: 3,000; beyond, days).
SERIES_RESOLUTION_SPANS = (
    ("raw", timedelta(days=2)),
    ("15m", timedelta(days=31)),
    ("1h", timedelta(days=125)),
)


def metric_default_limits(*, metric: str, nominal_voltage: int) -> tuple[float | None, float | None]:
    """PRODIST's adequate range for voltages (line-to-line ones at the system's line voltage); else none."""
    voltage = metric_voltage_range(name=metric, nominal_voltage=nominal_voltage)
    if voltage is None:
        return None, None
    return float(voltage.adequate_low), float(voltage.adequate_high)


def energy_range_default(
    *, interval: str, zone: zoneinfo.ZoneInfo, now: datetime
) -> tuple[datetime, datetime]:
    """Today by hour, this month by day, this year by month (local calendar), up to now."""
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # A ZoneInfo time's offset follows its wall time, so replace() lands on the right offset.
    starts = {"hour": midnight, "day": midnight.replace(day=1), "month": midnight.replace(month=1, day=1)}
    return starts[interval], now


def energy_series_all(*, device_id: int, start: datetime, end: datetime) -> dict[str, SeriesArrays | None]:
    """The energy counters and, for a meter without both, the power, each in [start, end) with the two
    readings before it and the two after it, so that the energy rules interpolate at the bounds instead of
    cutting, and judge the edge readings as inside."""
    around = {"device_id": device_id, "start": start, "end": end, "context": ENERGY_CONTEXT}
    series: dict[str, SeriesArrays | None] = metrics_series_around(metrics=list(ENERGY_COUNTERS), **around)
    # A meter with both counters never integrates its power (analytics/energy.py): it is not read.
    series["power"] = (
        None if all(series.values()) else metrics_series_around(metrics=["power"], **around)["power"]
    )
    return series


def device_energy_periods(
    *, device: Device, interval: str, time_zone: str, start: datetime, end: datetime
) -> list[dict]:
    """Imported, exported and net kWh of the device per calendar hour, day or month of `time_zone` in
    [start, end).

    Long ranges sum the closed 15-minute rollup buckets and read the readings only for what is not
    closed (the edges of the range, the newest hours, a re-opened stretch); short ones read the readings.
    """
    closed_until = rollup_closed_until(device_id=device.pk)
    return _energy_periods(
        device_id=device.pk,
        interval=interval,
        tz=time_zone,
        plan=_energy_plan(start=start, end=end, closed_until=closed_until),
        series_of=lambda low, high: energy_series_all(device_id=device.pk, start=low, end=high),
    )


@dataclass(frozen=True)
class _EnergyPlan:
    """Where a range's energy comes from: the stretches read from the readings, and the closed buckets
    between `closed` (None: none, the whole range is one stretch of readings)."""

    readings: list[tuple[datetime, datetime]]
    closed: tuple[datetime, datetime] | None


def _energy_plan(*, start: datetime, end: datetime, closed_until: datetime | None) -> _EnergyPlan:
    low, high = _closed_span(start=start, end=end, closed_until=closed_until)
    if high - low < ENERGY_ROLLUP_MIN_SPAN:
        return _EnergyPlan(readings=[(start, end)], closed=None)
    edges = [(start, low)] if start < low else []
    edges += [(high, end)] if high < end else []
    return _EnergyPlan(readings=edges, closed=(low, high))


def _energy_periods(
    *,
    device_id: int,
    interval: str,
    tz: str,
    plan: _EnergyPlan,
    series_of: Callable[[datetime, datetime], dict[str, SeriesArrays | None]],
) -> list[dict]:
    parts = [
        energy_per_period(interval=interval, tz=tz, start=low, end=high, **series_of(low, high))
        for low, high in plan.readings
    ]
    if plan.closed is None:
        return parts[0]
    low, high = plan.closed
    # Added in time order (the head, the buckets, the tail), as the figures always were.
    head = [rows for (_low, part_high), rows in zip(plan.readings, parts, strict=True) if part_high <= low]
    tail = [rows for (_low, part_high), rows in zip(plan.readings, parts, strict=True) if part_high > low]
    middle = energy_per_period_of_buckets(
        interval=interval,
        tz=tz,
        start=low,
        end=high,
        bucket_sums=lambda edges: _bucket_sums_kept(device_id=device_id, edges=edges),
    )
    return _periods_add(*head, middle, *tail)


def _bucket_sums_kept(*, device_id: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rollup_energy_sums, each settled period's sums kept (analytics/settled.py): a year's view sums only
    its newest month's buckets, not a year of them. Closed buckets change only by a late reading (which
    drops the device's kept figures) or a rebuild from the same readings."""
    if edges.size - 1 > KEPT_PERIODS_MAX:
        return rollup_energy_sums(device_id=device_id, edges=edges)
    moments = [datetime.fromtimestamp(edge, UTC) for edge in edges.tolist()]
    periods = list(pairwise(moments))
    index = {period: position for position, period in enumerate(periods)}

    def compute(missing: dict[int, list[Day]]) -> dict[tuple[int, Day], tuple[float, float]]:
        # One query over the stretch from the first missing period to the last one (usually the newest).
        first, last = index[missing[device_id][0]], index[missing[device_id][-1]]
        imported, exported = rollup_energy_sums(device_id=device_id, edges=edges[first : last + 2])
        return {
            (device_id, periods[first + offset]): (float(imported[offset]), float(exported[offset]))
            for offset in range(last + 1 - first)
        }

    sums = settled_days_figures(
        kind="energy-sums",
        tags={device_id: ""},
        days=periods,
        cacheable=lambda _period: True,
        compute=compute,
    )
    imported = np.array([sums[(device_id, period)][0] for period in periods])
    exported = np.array([sums[(device_id, period)][1] for period in periods])
    return imported, exported


def _energy_series_shared(
    *, device_id: int, stretches: list[tuple[datetime, datetime]]
) -> Callable[[datetime, datetime], dict[str, SeriesArrays | None]]:
    """energy_series_all of any of `stretches`, from one read of each run of overlapping ones: today, the
    month's newest days and the year's are mostly the same readings."""
    runs: list[list[datetime]] = []
    for low, high in sorted(stretches):
        if runs and low <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], high)
        else:
            runs.append([low, high])
    read: dict[tuple[datetime, datetime], dict[str, SeriesArrays | None]] = {}

    def series_of(low: datetime, high: datetime) -> dict[str, SeriesArrays | None]:
        run_low, run_high = next((a, b) for a, b in runs if a <= low and high <= b)
        if (run_low, run_high) not in read:
            read[(run_low, run_high)] = energy_series_all(device_id=device_id, start=run_low, end=run_high)
        run = read[(run_low, run_high)]
        series = {
            metric: _around(points, low=low, high=high)
            for metric, points in run.items()
            if points is not None
        }
        if not all(len(series.get(metric, ())) for metric in ENERGY_COUNTERS) and "power" not in series:
            # The stretch lacks a counter that the run has: its power counts, as a read of it alone gives.
            around = {"device_id": device_id, "start": run_low, "end": run_high, "context": ENERGY_CONTEXT}
            run["power"] = metrics_series_around(metrics=["power"], **around)["power"]
            series["power"] = _around(run["power"], low=low, high=high)
        return {"power": None} | series

    return series_of


def _around(points: SeriesArrays, *, low: datetime, high: datetime) -> SeriesArrays:
    """The readings of [low, high) and ENERGY_CONTEXT on each side, from a read that holds them."""
    first = np.searchsorted(points.seconds, low.timestamp(), side="left")
    last = np.searchsorted(points.seconds, high.timestamp(), side="left")
    keep = slice(max(first - ENERGY_CONTEXT, 0), last + ENERGY_CONTEXT)
    return SeriesArrays(seconds=points.seconds[keep], values=points.values[keep])


def device_metric_summary(
    *,
    device: Device,
    metric: str,
    start: datetime | None,
    end: datetime | None,
    lsl: float | None,
    usl: float | None,
) -> dict:
    """Statistics and Six Sigma figures of the metric in [start, end) (analytics/stats.py).

    Where at least two days of it are closed rollup buckets, everything but the percentiles and the count
    outside the limits comes from the buckets (and the values of the rest), those two from the database's
    sort of the values; else from the values when the range is short, from the database's aggregates when
    it is long or open."""
    first, last = start or FAR_PAST, end or FAR_FUTURE
    low, high = _rollup_span(device_id=device.pk, start=first, end=last)
    if high - low >= ROLLUP_MIN_SPAN:
        common = {"device_id": device.pk, "metric": metric}
        moments = moments_combine(
            parts=[
                _values_moments(**common, start=first, end=low),
                rollup_metric_totals(**common, start=low, end=high),
                _values_moments(**common, start=high, end=last),
            ]
        )
        percentiles, outside = metric_percentiles(**common, start=first, end=last, lsl=lsl, usl=usl)
        return summary_from_moments(
            moments=moments, percentiles=percentiles, outside=outside, lsl=lsl, usl=usl
        )
    if start is not None and end is not None and end - start <= SUMMARY_IN_DATABASE_SPAN:
        points = metric_series(device_id=device.pk, metric=metric, start=start, end=end)
        return series_summary(values=[value for _, value in points], lsl=lsl, usl=usl)
    aggregates = metric_aggregates(device_id=device.pk, metric=metric, start=start, end=end, lsl=lsl, usl=usl)
    return summary_from_aggregates(**aggregates, lsl=lsl, usl=usl)


def series_resolution_choose(*, start: datetime | None, end: datetime | None) -> str:
    """The resolution of a series when none is asked: raw for short or open ranges, coarser for longer."""
    if start is None or end is None:
        return "raw"
    for resolution, up_to in SERIES_RESOLUTION_SPANS:
        if end - start <= up_to:
            return resolution
    return "1d"


def device_metric_groups(
    *,
    device: Device,
    metric: str,
    start: datetime | None,
    end: datetime | None,
    resolution: str,
    time_zone: str,
) -> list[dict]:
    """The metric's count, mean, min and max per 15 minutes, local hour or local day (`resolution`) of
    [start, end), oldest first: from the closed rollup buckets, and from the readings for the rest (the
    range's partial buckets at its edges, what is not closed yet)."""
    start, end = start or FAR_PAST, end or FAR_FUTURE
    low, high = _rollup_span(device_id=device.pk, start=start, end=end)
    common = {"device_id": device.pk, "metric": metric, "time_zone": time_zone}
    parts = []
    if high > low:
        group = RESOLUTION_GROUPS[resolution]
        parts.append(rollup_metric_groups(**common, start=low, end=high, group=group))
        stretches = [(start, low), (high, end)]
    else:
        stretches = [(start, end)]
    parts += [metric_groups(**common, start=a, end=b, resolution=resolution) for a, b in stretches if a < b]
    groups: dict[float, list] = {}
    for rows in parts:
        for epoch, count, low_value, high_value, total in rows:
            into = groups.get(epoch)
            if into is None:
                groups[epoch] = [count, low_value, high_value, total]
            else:
                into[0] += count
                into[1], into[2] = min(into[1], low_value), max(into[2], high_value)
                into[3] += total
    return [
        {
            "ts": datetime.fromtimestamp(epoch, UTC),
            "count": count,
            "mean": total / count,
            "min": low_value,
            "max": high_value,
        }
        for epoch, (count, low_value, high_value, total) in sorted(groups.items())
    ]


def device_chart_points(
    *, device: Device, metric: str, start: datetime, end: datetime, time_zone: str
) -> list[tuple[datetime, float]]:
    """A chart's points of the metric in [start, end) (local midnights): every reading up to two days,
    beyond that the mean of each bucket of the resolution the API would choose (from the rollups where
    they are closed), each settled day's kept (analytics/settled.py): a year's chart is read once."""
    resolution = series_resolution_choose(start=start, end=end)
    if resolution == "raw":
        return metric_series(device_id=device.pk, metric=metric, start=start, end=end)

    def compute(missing: dict[int, list[Day]]) -> dict[tuple[int, Day], list[tuple[datetime, float]]]:
        days = missing[device.pk]
        groups = device_metric_groups(
            device=device,
            metric=metric,
            start=days[0][0],
            end=days[-1][1],
            resolution=resolution,
            time_zone=time_zone,
        )
        return {
            (device.pk, day): [
                (group["ts"], group["mean"]) for group in groups if day[0] <= group["ts"] < day[1]
            ]
            for day in days
        }

    # Whole local days: every bucket of every resolution is inside one.
    days = local_pieces(start=start, end=end, zone=zoneinfo.ZoneInfo(time_zone), hours_of_today=False)
    per_day = settled_days_figures(
        kind=f"chart:{resolution}:{metric}:{time_zone}",
        tags={device.pk: ""},
        days=days,
        cacheable=lambda day: True,
        compute=compute,
    )
    return [point for day in days for point in per_day[(device.pk, day)]]


def _rollup_span(*, device_id: int, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The whole closed buckets of [start, end): an empty span (low == high) when there are none."""
    return _closed_span(start=start, end=end, closed_until=rollup_closed_until(device_id=device_id))


def _closed_span(
    *, start: datetime, end: datetime, closed_until: datetime | None
) -> tuple[datetime, datetime]:
    low = bucket_ceil(moment=start)
    high = min(bucket_floor(moment=end), closed_until) if closed_until else low
    return low, max(high, low)


def _values_moments(*, device_id: int, metric: str, start: datetime, end: datetime) -> dict | None:
    if start >= end:
        return None
    points = metric_series(device_id=device_id, metric=metric, start=start, end=end)
    return series_moments(values=[value for _, value in points])


def _periods_add(*parts: list[dict]) -> list[dict]:
    """Rows of the same period from several stretches of the range, added up."""
    # Keyed by the instant: the two hours that share a wall-clock label when the clocks go back compare
    # equal as datetimes of one zone.
    total: dict[float, dict] = {}
    for rows in parts:
        for row in rows:
            into = total.setdefault(
                row["period"].timestamp(), {"period": row["period"], "import_kwh": 0.0, "export_kwh": 0.0}
            )
            into["import_kwh"] += row["import_kwh"]
            into["export_kwh"] += row["export_kwh"]
    return [
        {**row, "net_kwh": row["import_kwh"] - row["export_kwh"]}
        for _, row in sorted(total.items(), key=lambda item: item[0])
    ]


def site_energy_balance(*, interval: str, tz: str, start: datetime, end: datetime) -> dict:
    """The site's balance per period and in total, from its grid and generation devices."""
    (balance,) = site_energy_balances(tz=tz, ranges=[(interval, start, end)])
    return balance


def site_energy_balances(*, tz: str, ranges: list[tuple[str, datetime, datetime]]) -> list[dict]:
    """site_energy_balance of each (interval, start, end), the devices and their rollup states read once."""
    devices = list(Device.objects.filter(role__in=[Device.Role.GRID, Device.Role.GENERATION]))
    closed = dict(RollupState.objects.filter(device__in=devices).values_list("device_id", "closed_until"))
    plans = [
        {
            device.pk: _energy_plan(start=start, end=end, closed_until=closed.get(device.pk))
            for device in devices
        }
        for _interval, start, end in ranges
    ]
    shared = {
        device.pk: _energy_series_shared(
            device_id=device.pk, stretches=[stretch for plan in plans for stretch in plan[device.pk].readings]
        )
        for device in devices
    }
    balances = []
    for (interval, _start, _end), plan in zip(ranges, plans, strict=True):
        periods = {
            device.pk: _energy_periods(
                device_id=device.pk,
                interval=interval,
                tz=tz,
                plan=plan[device.pk],
                series_of=shared[device.pk],
            )
            for device in devices
        }
        rows = energy_balance(
            grid=[periods[device.pk] for device in devices if device.role == Device.Role.GRID],
            generation=[periods[device.pk] for device in devices if device.role == Device.Role.GENERATION],
        )
        balances.append(
            {
                "rows": rows,
                "totals": balance_totals(rows=rows),
                "has_generation": any(device.role == Device.Role.GENERATION for device in devices),
            }
        )
    return balances


def site_live_power(*, statuses: list[DeviceStatus]) -> dict | None:
    """The active grid meters' latest power added up (from device_list_with_latest's statuses): > 0 the
    site takes from the grid, < 0 it injects."""
    latest = [
        (status.latest_at, status.latest["power"])
        for status in statuses
        if status.device.role == Device.Role.GRID and status.device.active and "power" in status.latest
    ]
    if not latest:
        return None
    watts = sum(power for _ts, power in latest)
    return {
        "watts": abs(watts),
        "direction": "import" if watts >= 0 else "export",
        "ts": max(ts for ts, _ in latest),
    }


def device_status_summary(*, devices: list[Device]) -> dict[str, int]:
    """How many of the devices are online, offline (active but silent) and inactive."""
    summary = {"online": 0, "offline": 0, "inactive": 0}
    for device in devices:
        state = "inactive" if not device.active else "online" if device.online else "offline"
        summary[state] += 1
    return summary


def site_month_report(*, client: Client, year: int, month: int) -> dict:
    """The month: energy per day and in total, the net-metering balance and each device's PRODIST voltage
    conformity."""
    start, end = month_bounds(year=year, month=month, zone=zoneinfo.ZoneInfo(client.time_zone))
    balance = site_energy_balance(interval="day", tz=client.time_zone, start=start, end=end)
    totals = balance["totals"]
    metering = net_metering(
        import_kwh=totals["import_kwh"],
        export_kwh=totals["export_kwh"],
        consumption_kwh=totals["consumption_kwh"],
        tariff_per_kwh=float(client.tariff_per_kwh) if client.tariff_per_kwh is not None else None,
        fio_b_share=float(client.fio_b_share) / 100 if client.fio_b_share is not None else None,
    )
    conformity = devices_voltage_conformity(
        devices=list(Device.objects.all()), start=start, end=end, zone=zoneinfo.ZoneInfo(client.time_zone)
    )
    return {"start": start, "end": end, **balance, "net_metering": metering, "conformity": conformity}
