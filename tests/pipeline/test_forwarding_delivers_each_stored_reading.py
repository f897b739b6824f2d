from datetime import datetime

from django_tenants.utils import tenant_context

from meters.readings.series import readings_latest
from tests.helpers.pipeline import rtu_config
from tests.helpers.waiting import wait_until

from .conftest import SLAVE_TOKEN


def test_a_polled_reading_reaches_the_slave_as_our_ingest_api_takes_it(
    client_a, device_make, ew11_start, poll_send, slave
):
    ew11 = ew11_start(slave_ids=[1])
    device = device_make(client=client_a, name="meter", config=rtu_config(port=ew11.port, slave_id=1))

    poll_send(client=client_a, device=device)
    wait_until(lambda: slave.received_for(client="pipe-a", device_id=device.pk), what="the forwarded batch")

    [received] = slave.received_for(client="pipe-a", device_id=device.pk)
    [item] = received.body
    with tenant_context(client_a):
        ts, metrics = readings_latest(device_ids=[device.pk])[device.pk]
    assert received.authorization == f"Bearer {SLAVE_TOKEN}"
    assert set(item) == {"device_id", "ts", "metrics"}
    assert datetime.fromisoformat(item["ts"]) == ts
    assert item["metrics"] == metrics
