"""A batch of more than a few dozen readings goes through the binary COPY path: what is read back is what
was sent, to the last bit and microsecond, whatever the offset and the order of the metric names."""

from datetime import datetime, timedelta, timezone

from django_tenants.utils import tenant_context

from meters.readings.series import metric_series

READINGS = 120


def test_a_large_batch_is_read_back_exactly_as_sent(acme_api, acme, acme_device):
    start = datetime(2025, 1, 31, 14, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-3)))
    sent = [
        (start + timedelta(seconds=30 * n), {"power": n * 0.1 + 1e-17 * n, "voltage_l1": -(2.0**-1074) * n})
        for n in range(READINGS)
    ]
    # Half the readings name their metrics in the other order: the same layout.
    batch = [
        {
            "device_id": acme_device.pk,
            "ts": ts.isoformat(),
            "metrics": m if n % 2 else dict(reversed(m.items())),
        }
        for n, (ts, m) in enumerate(sent)
    ]

    response = acme_api.post("/api/ingest", batch)

    assert response.status_code == 201
    with tenant_context(acme):
        power = metric_series(device_id=acme_device.pk, metric="power")
        voltage = metric_series(device_id=acme_device.pk, metric="voltage_l1")
    assert power == [(ts, m["power"]) for ts, m in sent]
    assert voltage == [(ts, m["voltage_l1"]) for ts, m in sent]
