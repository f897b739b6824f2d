"""Redis restarted (emptied: no persistence) while beat polls meters and a meter pushes readings: every
reading answered 201 is stored, ingest keeps answering (its throttle fails open), and polls resume at
the first scheduled poll after the worker is back on the broker."""

import time

import pytest
from faults_testing import POLL_INTERVAL_S, Pusher, seconds_since

from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow
OUTAGE_S = 2.0
# Celery's worker retries a lost broker 2, 4, 6... s apart: after a 2-s outage it is back within 2 s more.
RECONNECT_S = 2.0


def test_a_redis_restart_loses_no_accepted_reading_and_polls_resume(stack, beat, record_property):
    wait_until(lambda: len(stack.readings("steady_1")) >= 1, timeout=3 * POLL_INTERVAL_S, what="polls")
    pusher = Pusher(url=stack.web_url, token=stack.token).start()
    try:
        pusher.wait_accepted(batches=4)
        stack.redis.stop()
        down_at = time.monotonic()
        wait_until(lambda: time.monotonic() - down_at >= OUTAGE_S, what="the outage")
        during = [status for at, _, status in list(pusher.answers) if at > down_at]
        stack.redis.start()
        up_at, up_epoch = time.monotonic(), time.time()
        wait_until(
            lambda: stack.readings("steady_1")[-1] > up_epoch,
            timeout=4 * POLL_INTERVAL_S,
            what="polls to resume",
        )
        resumed_s = seconds_since(up_at)
    finally:
        pusher.stop()

    with stack.database() as connection:
        stored = connection.execute(
            "SELECT count(*) FROM meters_reading WHERE device_id = %s", [stack.devices["pushed"]]
        ).fetchone()[0]
    assert during and set(during) == {201}
    assert stored >= len(pusher.accepted())
    assert resumed_s <= RECONNECT_S + POLL_INTERVAL_S + 2  # + the read itself, on a loaded machine
    record_property("figures", {"polls_resumed_s": resumed_s, "accepted_during_outage": len(during)})
    print(f"\nRedis restart: polls resumed {resumed_s} s after; {len(during)} batches accepted while down")
