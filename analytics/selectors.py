"""Reads of the analytics domain that views, the portal and reports share: a device's energy per period,
its metric statistics, the defaults they apply, and a site's energy balance, live power and monthly report.
Views only validate and format; the figures are here.

Long ranges read the rollups (energy) or let the database aggregate (statistics), short ones the readings:
the same figures either way (docs/readings-store.md), and never a long history in memory.
"""

import zoneinfo
from datetime import UTC, datetime, timedelta

from analytics.energy import energy_per_period, energy_per_period_of_buckets
from analytics.site import (
    PHASE_VOLTAGES,
    balance_totals,
    energy_balance,
    month_bounds,
    net_metering,
    voltage_conformity,
)
from analytics.stats import (
    moments_combine,
    series_moments,
    series_summary,
    summary_from_aggregates,
    summary_from_moments,
)
from meters.catalog import metric_voltage_range
from meters.models import Device
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
    metric_aggregates,
    metric_groups,
    metric_percentiles,
    metric_series,
    readings_latest,
)
from pieng.timebounds import FAR_FUTURE, FAR_PAST
from tenants.models import Client

ENERGY_METRICS = ("energy_import", "energy_export", "power")
# The glitch rule judges a reading by its neighbours, so the readings at a range's edge need two more.
ENERGY_CONTEXT = 2
# Shorter ranges are computed from the readings: at most two days of them, a few milliseconds.
ROLLUP_MIN_SPAN = timedelta(days=2)
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


def energy_series(*, device_id: int, metric: str, start: datetime, end: datetime) -> list:
    """The metric in [start, end) with the two readings before it and the two after it, so that the
    energy rules interpolate at the bounds instead of cutting, and judge the edge readings as inside."""
    before = metric_series(
        device_id=device_id, metric=metric, end=start, limit=ENERGY_CONTEXT, newest_first=True
    )
    inside = metric_series(device_id=device_id, metric=metric, start=start, end=end)
    after = metric_series(device_id=device_id, metric=metric, start=end, limit=ENERGY_CONTEXT)
    return before[::-1] + inside + after


def energy_series_all(*, device_id: int, start: datetime, end: datetime) -> dict[str, list]:
    return {
        metric: energy_series(device_id=device_id, metric=metric, start=start, end=end)
        for metric in ENERGY_METRICS
    }


def device_energy_periods(
    *, device: Device, interval: str, time_zone: str, start: datetime, end: datetime
) -> list[dict]:
    """Imported, exported and net kWh of the device per calendar hour, day or month of `time_zone` in
    [start, end).

    Long ranges sum the closed 15-minute rollup buckets and read the readings only for what is not
    closed (the edges of the range, the newest hours, a re-opened stretch); short ones read the readings.
    """

    device_id, tz = device.pk, time_zone

    def from_readings(low: datetime, high: datetime) -> list[dict]:
        series = energy_series_all(device_id=device_id, start=low, end=high)
        return energy_per_period(interval=interval, tz=tz, start=low, end=high, **series)

    low, high = _rollup_span(device_id=device_id, start=start, end=end)
    if high - low < ROLLUP_MIN_SPAN:
        return from_readings(start, end)
    middle = energy_per_period_of_buckets(
        interval=interval,
        tz=tz,
        start=low,
        end=high,
        bucket_sums=lambda edges: rollup_energy_sums(device_id=device_id, edges=edges),
    )
    head = from_readings(start, low) if start < low else []
    tail = from_readings(high, end) if high < end else []
    return _periods_add(head, middle, tail)


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
    """A chart's points of the metric in [start, end): every reading up to two days, beyond that the mean
    of each bucket of the resolution the API would choose (from the rollups where they are closed)."""
    resolution = series_resolution_choose(start=start, end=end)
    if resolution == "raw":
        return metric_series(device_id=device.pk, metric=metric, start=start, end=end)
    groups = device_metric_groups(
        device=device, metric=metric, start=start, end=end, resolution=resolution, time_zone=time_zone
    )
    return [(group["ts"], group["mean"]) for group in groups]


def _rollup_span(*, device_id: int, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The whole closed buckets of [start, end): an empty span (low == high) when there are none."""
    closed_until = rollup_closed_until(device_id=device_id)
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
    devices = list(Device.objects.filter(role__in=[Device.Role.GRID, Device.Role.GENERATION]))
    periods = {
        device.pk: device_energy_periods(device=device, interval=interval, time_zone=tz, start=start, end=end)
        for device in devices
    }
    rows = energy_balance(
        grid=[periods[device.pk] for device in devices if device.role == Device.Role.GRID],
        generation=[periods[device.pk] for device in devices if device.role == Device.Role.GENERATION],
    )
    return {
        "rows": rows,
        "totals": balance_totals(rows=rows),
        "has_generation": any(device.role == Device.Role.GENERATION for device in devices),
    }


def site_live_power() -> dict | None:
    """The grid meters' latest power added up: > 0 the site takes from the grid, < 0 it injects."""
    grid = list(Device.objects.filter(role=Device.Role.GRID, active=True).values_list("pk", flat=True))
    latest = [
        (ts, values["power"]) for ts, values in readings_latest(device_ids=grid).values() if "power" in values
    ]
    if not latest:
        return None
    watts = sum(power for _ts, power in latest)
    return {
        "watts": abs(watts),
        "direction": "import" if watts >= 0 else "export",
        "ts": max(ts for ts, _ in latest),
    }


def device_status_summary() -> dict[str, int]:
    """How many devices are online, offline (active but silent) and inactive."""
    summary = {"online": 0, "offline": 0, "inactive": 0}
    for device in Device.objects.all():
        state = "inactive" if not device.active else "online" if device.online else "offline"
        summary[state] += 1
    return summary


def device_voltage_series(*, device: Device, start: datetime, end: datetime) -> dict[str, list]:
    """The device's phase voltages in [start, end), those it has."""
    series = {
        metric: metric_series(device_id=device.pk, metric=metric, start=start, end=end)
        for metric in PHASE_VOLTAGES
    }
    return {metric: points for metric, points in series.items() if points}


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
    conformity = []
    for device in Device.objects.all():
        series = device_voltage_series(device=device, start=start, end=end)
        if series:
            indicators = voltage_conformity(nominal=device.nominal_voltage, series=series)
            conformity.append({"device": device, **indicators})
    return {"start": start, "end": end, **balance, "net_metering": metering, "conformity": conformity}
