"""Batches of one device evaluated at the same time, each in its own committed transaction, raise a rule once.

The work runs in threads (one database connection each, committing for real) because a lock only matters
between transactions; what the threads create is deleted at the end.
"""

import threading
from datetime import UTC, datetime, timedelta

from django.db import connections
from django_tenants.utils import tenant_context

from alarms.models import AlarmEvent, AlarmRule
from meters.config import device_config_clean
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest

START = datetime(2025, 3, 1, 12, tzinfo=UTC)
WRITERS = 8


def in_threads(work, count: int = 1) -> list:
    """Run `work(index)` in `count` threads at once, each on its own connection; their results in order."""
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def test_concurrent_batches_raise_a_rule_once(acme):
    def setup(_):
        with tenant_context(acme):
            config = device_config_clean(
                device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
            )
            device = Device.objects.create(name="race", device_type="modbus_tcp", config=config)
            AlarmRule.objects.create(metric="power", operator=">", threshold=100.0, device=device)
            # A first, quiet reading: the rule's state exists before the race.
            readings_ingest(readings=[ReadingIn(device_id=device.pk, ts=START, metrics={"power": 1.0})])
            return device.pk

    [device_id] = in_threads(setup)
    start_together = threading.Barrier(WRITERS)

    def write(index: int) -> None:
        with tenant_context(acme):
            start_together.wait()
            reading = ReadingIn(
                device_id=device_id, ts=START + timedelta(seconds=1 + index), metrics={"power": 500.0}
            )
            readings_ingest(readings=[reading])

    def events_and_cleanup(_):
        with tenant_context(acme):
            kinds = list(AlarmEvent.objects.filter(device_id=device_id).values_list("kind", flat=True))
            Device.objects.filter(pk=device_id).delete()
            return kinds

    try:
        in_threads(write, WRITERS)
    finally:
        [kinds] = in_threads(events_and_cleanup)

    assert kinds == ["raised"]
