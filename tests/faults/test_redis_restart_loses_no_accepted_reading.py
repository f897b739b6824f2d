"""Redis restarted (emptied: no persistence) while a meter pushes readings and beat polls meters: ingest
keeps answering 201 throughout (its throttle fails open), every reading answered 201 is stored, and the
scheduled polls resume once Redis is back: within one interval and the worker's reconnect backoff, or, when
the worker exited while reconnecting, once its supervisor has started it again."""

import time

import pytest
from faults_testing import POLL_INTERVAL_S, Pusher

from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow
OUTAGE_S = 2.0
# The worker reconnects with a backoff of 2, 4, 6 s...: a poll sent while it is still away waits for it.
RECONNECT_ALLOWANCE_S = 4.0
# In about one run of eight the worker (celery 5.7, kombu 5.7) exits on an error while reconnecting
# (docs/security.md, "Fault suite"): its supervisor starts it again, which takes this long at most here.
RESTART_ALLOWANCE_S = 15.0


def test_a_redis_restart_loses_no_reading_answered_201(stack, beat, record_property):
    wait_until(lambda: len(stack.readings("steady_1")) >= 1, timeout=3 * POLL_INTERVAL_S, what="polls")
    worker_restarts = stack.restarts["worker"]
    pusher = Pusher(url=stack.web_url, token=stack.token).start()
    try:
        pusher.wait_accepted(batches=4)
        stack.redis.stop()
        down_at = time.monotonic()
        wait_until(lambda: time.monotonic() - down_at >= OUTAGE_S, what="the outage")
        during = [status for at, _, status in list(pusher.answers) if at > down_at]
        stack.redis.start()
        up_at, up_clock = time.monotonic(), time.time()
        wait_until(lambda: pusher.answered_since(up_at, 201), what="ingest after the restart")
    finally:
        pusher.stop()
    try:
        wait_until(
            lambda: any(ts > up_clock for ts in stack.readings("steady_1")),
            timeout=POLL_INTERVAL_S + RECONNECT_ALLOWANCE_S + RESTART_ALLOWANCE_S,
            what="scheduled polls after the restart",
        )
    except AssertionError as error:
        raise AssertionError(f"{error}\nworker's log:\n{stack.log('worker')[-20000:]}") from None
    polled_again_s = round(min(ts for ts in stack.readings("steady_1") if ts > up_clock) - up_clock, 2)
    restarted = stack.restarts["worker"] > worker_restarts

    stored = stack.stored_times("pushed")
    assert during and set(during) == {201}
    assert set(pusher.accepted()) <= stored
    assert polled_again_s <= POLL_INTERVAL_S + RECONNECT_ALLOWANCE_S + (
        RESTART_ALLOWANCE_S if restarted else 0
    )
    figures = {
        "accepted_during_outage": len(during),
        "polled_again_s": polled_again_s,
        "worker_restarted": restarted,
    }
    record_property("figures", figures)
    print(
        f"\nRedis restart: {len(during)} batches taken while down, all stored;"
        f" polls {polled_again_s} s after (worker restarted: {restarted})"
    )
