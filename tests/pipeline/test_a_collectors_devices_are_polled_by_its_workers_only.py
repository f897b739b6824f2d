"""Collectors: a device named for a collector is polled by that collector's worker and by no other; one
whose collector has no worker is not polled, and says "collector offline" rather than "meter offline"."""

import uuid

from meters.models import Device
from tests.helpers.pipeline import device_fetch, readings_count, rtu_config
from tests.helpers.waiting import wait_until


def test_each_collector_polls_its_own_devices_and_a_device_without_a_running_collector_is_flagged(
    client_a, device_make, ew11_start, collector_workers, celery_beat
):
    run = uuid.uuid4().hex[:8]
    north, south, east = f"north-{run}", f"south-{run}", f"east-{run}"
    # One bus for all three: the lane keeps the collectors' reads apart.
    ew11 = ew11_start(slave_ids=[1, 2, 3])
    devices = {
        collector: device_make(
            client=client_a,
            name=f"meter of {collector}",
            config=rtu_config(port=ew11.port, slave_id=n, poll_interval=5),
            collector=collector,
        )
        for n, collector in enumerate((north, south, east), start=1)
    }

    collector_workers([north, south])
    wait_until(
        lambda: all(readings_count(client=client_a, device_id=devices[c].pk) >= 2 for c in (north, south)),
        timeout=40,
        what="two readings each of the north and south collectors' devices",
    )

    # The package's worker (the default queue) and both collectors ran all along: none took east's polls.
    assert readings_count(client=client_a, device_id=devices[east].pk) == 0
    statuses = {c: device_fetch(client=client_a, device_id=devices[c].pk).status for c in devices}
    assert statuses == {
        north: Device.Status.ONLINE,
        south: Device.Status.ONLINE,
        east: Device.Status.COLLECTOR_OFFLINE,
    }
    assert ew11.bus.overlaps == 0
