"""Property: any finite doubles ingested through readings_ingest (subnormals, -0.0, the largest and
smallest) are read back bit for bit once their day is packed, by the series and by the rows."""

import struct
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meters.readings.chunks import chunks_pack
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.rows import readings_rows
from meters.readings.series import metric_series
from tests.helpers.devices import device_add

DAY = datetime(2025, 6, 1, tzinfo=UTC)
doubles = st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True) | st.sampled_from(
    [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931308635157e308, -1.7976931308635157e308]
)


def _bits(value: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", value))[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.lists(st.tuples(doubles, doubles), min_size=1, max_size=40))
def test_random_doubles_come_back_bit_for_bit_after_packing(in_acme, columns):
    device = device_add(in_acme)
    times = [DAY + timedelta(seconds=30 * index) for index in range(len(columns))]
    readings_ingest(
        readings=[
            ReadingIn(device_id=device.pk, ts=ts, metrics={"power": power, "voltage_l1": voltage})
            for ts, (power, voltage) in zip(times, columns, strict=True)
        ]
    )

    assert chunks_pack(device_id=device.pk, before=DAY + timedelta(days=1)).days == 1

    power = metric_series(device_id=device.pk, metric="power", start=DAY, end=DAY + timedelta(days=1))
    assert [ts for ts, _ in power] == times
    assert [_bits(value) for _, value in power] == [_bits(value) for value, _ in columns]
    rows = readings_rows(device_id=device.pk, start=DAY, end=DAY + timedelta(days=1))
    assert [[_bits(value) for value in values] for _, _, values in rows] == [
        [_bits(power), _bits(voltage)] for power, voltage in columns
    ]
