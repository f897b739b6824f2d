"""Redis restarted (emptied: no persistence) while a meter pushes readings: ingest keeps answering 201
throughout (its throttle fails open) and every reading answered 201 is stored.

Whether polls resume after the restart is measured, not asserted here: in one of four runs the Celery
worker did not consume again within 20 s (see docs/security.md, "Fault suite")."""

import time

import pytest
from faults_testing import Pusher

from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow
OUTAGE_S = 2.0


def test_a_redis_restart_loses_no_reading_answered_201(stack, record_property):
    pusher = Pusher(url=stack.web_url, token=stack.token).start()
    try:
        pusher.wait_accepted(batches=4)
        stack.redis.stop()
        down_at = time.monotonic()
        wait_until(lambda: time.monotonic() - down_at >= OUTAGE_S, what="the outage")
        during = [status for at, _, status in list(pusher.answers) if at > down_at]
        stack.redis.start()
        up_at = time.monotonic()
        wait_until(lambda: pusher.answered_since(up_at, 201), what="ingest after the restart")
    finally:
        pusher.stop()

    stored = stack.stored_times("pushed")
    assert during and set(during) == {201}
    assert set(pusher.accepted()) <= stored
    record_property("figures", {"accepted_during_outage": len(during)})
    print(f"\nRedis restart: {len(during)} batches accepted while it was down, all stored")
