"""A read takes meters_reading first, the chunks second: a packing that commits between the two moves a
day's readings from the first to the second, and the read still gives each reading once."""

from datetime import timedelta

import numpy as np

from meters.readings import rows, series
from meters.readings.chunks import chunks_pack
from meters.readings.rows import readings_rows
from meters.readings.series import metric_percentiles, metric_series

from .conftest import END, PACK_BEFORE, START, meter_readings


def test_a_series_read_across_a_packing_gives_each_reading_once(meter, monkeypatch):
    cold_metric_points = series.cold_metric_points

    def packed_meanwhile(**kwargs):
        chunks_pack(device_id=meter.pk, before=PACK_BEFORE)
        return cold_metric_points(**kwargs)

    monkeypatch.setattr(series, "cold_metric_points", packed_meanwhile)

    points = metric_series(device_id=meter.pk, metric="power", start=START, end=END)

    assert points == [(ts, metrics["power"]) for ts, metrics in meter_readings()]


def test_rows_read_across_a_packing_give_each_reading_once(meter, monkeypatch):
    cold_rows = rows.cold_rows

    def packed_meanwhile(**kwargs):
        chunks_pack(device_id=meter.pk, before=PACK_BEFORE)
        yield from cold_rows(**kwargs)

    monkeypatch.setattr(rows, "cold_rows", packed_meanwhile)

    got = list(readings_rows(device_id=meter.pk, start=START, end=END, chunk_rows=100_000))

    assert len(got) == len(meter_readings())
    assert len({micros for micros, _, _ in got}) == len(got)


def test_percentiles_read_across_a_packing_count_each_reading_once(meter, monkeypatch):
    chunks_pack(device_id=meter.pk, before=START + timedelta(days=1))
    cold_metric_points = series.cold_metric_points

    def packed_meanwhile(**kwargs):
        chunks_pack(device_id=meter.pk, before=PACK_BEFORE)
        return cold_metric_points(**kwargs)

    monkeypatch.setattr(series, "cold_metric_points", packed_meanwhile)

    percentiles, outside = metric_percentiles(
        device_id=meter.pk, metric="voltage_l1", start=START, end=END, lsl=220.2, usl=221.0
    )

    values = np.array([metrics["voltage_l1"] for _, metrics in meter_readings()])
    assert percentiles == np.percentile(values, [50, 5, 95]).tolist()
    assert outside == int(((values < 220.2) | (values > 221.0)).sum())
