"""Reads of the analytics domain that views, the portal and reports share: a device's energy per period,
its metric statistics, and the defaults they apply. Views only validate and format; the figures are here.
"""

import zoneinfo
from datetime import datetime

from analytics.energy import energy_per_period
from analytics.stats import series_summary
from meters.catalog import metric_voltage_range
from meters.models import Device
from meters.readings.series import metric_series

ENERGY_METRICS = ("energy_import", "energy_export", "power")


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


def energy_series(*, device: Device, metric: str, start: datetime, end: datetime) -> list:
    """The metric in [start, end) with the last reading before it and the first after it, so the energy
    function interpolates at the bounds instead of cutting."""
    before = metric_series(device_id=device.pk, metric=metric, end=start, limit=1, newest_first=True)
    inside = metric_series(device_id=device.pk, metric=metric, start=start, end=end)
    after = metric_series(device_id=device.pk, metric=metric, start=end, limit=1)
    return before + inside + after


def device_energy_periods(
    *, device: Device, interval: str, time_zone: str, start: datetime, end: datetime
) -> list[dict]:
    """Imported, exported and net kWh of the device per calendar hour, day or month of `time_zone`."""
    series = {
        metric: energy_series(device=device, metric=metric, start=start, end=end) for metric in ENERGY_METRICS
    }
    return energy_per_period(interval=interval, tz=time_zone, start=start, end=end, **series)


def device_metric_summary(
    *,
    device: Device,
    metric: str,
    start: datetime | None,
    end: datetime | None,
    lsl: float | None,
    usl: float | None,
) -> dict:
    """Statistics and Six Sigma figures of the metric in [start, end)."""
    points = metric_series(device_id=device.pk, metric=metric, start=start, end=end)
    return series_summary(values=[value for _, value in points], lsl=lsl, usl=usl)
