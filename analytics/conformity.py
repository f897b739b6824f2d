"""Each device's PRODIST voltage conformity over a range (the monthly report's), from 10-minute means that
the database computes, with the counts of settled days cached (analytics/settled.py): a month of a site's
30-s readings is about a million rows, too many to average on every view, and a day's counts (windows,
precarious ones, critical ones) add up over days.
"""

import zoneinfo
from datetime import datetime, timedelta

import numpy as np

from analytics.prodist import ADEQUATE, CRITICAL, PRECARIOUS, counts_indicators, voltage_severity
from analytics.settled import Day, local_pieces, settled_days_figures
from analytics.site import PHASE_VOLTAGES
from meters.models import Device
from meters.readings.windows import metric_window_means

PRODIST_WINDOW = timedelta(minutes=10)


def window_severity_counts(*, nominal: int, means: np.ndarray) -> tuple[int, int, int]:
    """Windows, precarious windows and critical windows of a (windows x phases) matrix of 10-minute means,
    NaN where a phase has no reading: a window is classified by its worst phase, on the phases it has."""
    severity = np.full(means.shape, ADEQUATE - 1)
    for column in range(means.shape[1]):
        present = np.isfinite(means[:, column])
        severity[present, column] = voltage_severity(nominal=nominal, values=means[present, column])
    worst = severity.max(axis=1, initial=ADEQUATE - 1)
    worst = worst[worst >= ADEQUATE]
    precarious, critical = np.count_nonzero(worst == PRECARIOUS), np.count_nonzero(worst == CRITICAL)
    return int(worst.size), int(precarious), int(critical)


def devices_voltage_conformity(
    *, devices: list[Device], start: datetime, end: datetime, zone: zoneinfo.ZoneInfo
) -> list[dict]:
    """PRODIST conformity (analytics.prodist.counts_indicators) of each device with phase voltages in
    [start, end), a range of whole local days: 10-minute means aligned on the clock, each window classed
    by its worst phase."""
    if not devices:
        return []
    days = local_pieces(start=start, end=end, zone=zone)
    window = PRODIST_WINDOW.total_seconds()
    by_id = {device.pk: device for device in devices}
    counts = settled_days_figures(
        kind="conformity",
        tags={device.pk: str(device.nominal_voltage) for device in devices},
        days=days,
        # A day's windows must be its own (not in a zone whose offset is not a whole number of 10 minutes).
        cacheable=lambda day: day[0].timestamp() % window == 0 and day[1].timestamp() % window == 0,
        compute=lambda missing: _counts_compute(devices=by_id, missing=missing),
    )
    totals = {device.pk: np.zeros(3, dtype=int) for device in devices}
    for (device_id, _day), day_counts in counts.items():
        totals[device_id] += day_counts
    return [
        {"device": device, **counts_indicators(count=int(count), nlp=int(nlp), nlc=int(nlc))}
        for device in devices
        for count, nlp, nlc in [totals[device.pk]]
        if count
    ]


def _counts_compute(
    *, devices: dict[int, Device], missing: dict[int, list[Day]]
) -> dict[tuple[int, Day], tuple[int, int, int]]:
    """Counts of each missing day of each device, from one query over the span of the missing days."""
    spans = [day for days in missing.values() for day in days]
    means = metric_window_means(
        device_ids=[device_id for device_id, days in missing.items() if days],
        metrics=list(PHASE_VOLTAGES),
        start=min(day[0] for day in spans),
        end=max(day[1] for day in spans),
        window=PRODIST_WINDOW,
    )
    counts = {}
    for device_id, days in missing.items():
        seconds, values = means.get(device_id, (np.empty(0), np.empty((0, len(PHASE_VOLTAGES)))))
        for low, high in days:
            inside = (seconds >= low.timestamp()) & (seconds < high.timestamp())
            counts[(device_id, (low, high))] = window_severity_counts(
                nominal=devices[device_id].nominal_voltage, means=values[inside]
            )
    return counts
