"""PostgreSQL restarted under a meter pushing readings: while it is down ingest answers 503 (JSON, never
a 500), and then 201 again; every batch answered 201 is stored whole, and no other batch is stored at all
(nothing half-written)."""

import time

import pytest
from faults_testing import Pusher, seconds_since

from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow


def test_postgres_restart_answers_503_then_recovers_with_nothing_half_written(stack, record_property):
    pusher = Pusher(url=stack.web_url, token=stack.token).start()
    try:
        pusher.wait_accepted(batches=4)
        stack.postgres.stop()
        down_at = time.monotonic()
        wait_until(lambda: pusher.answered_since(down_at, 503), what="a 503 while PostgreSQL is down")
        stack.postgres.start()
        up_at = time.monotonic()
        wait_until(lambda: pusher.answered_since(up_at, 201), what="ingest to recover")
        recovered_s = seconds_since(up_at)
    finally:
        pusher.stop()

    assert pusher.statuses() <= {201, 503}
    stored = stack.stored_times("pushed")
    for _, batch, status in pusher.answers:
        assert (set(batch) <= stored) if status == 201 else not (set(batch) & stored), (status, batch)
    refused = sum(1 for _, _, status in pusher.answers if status == 503)
    record_property("figures", {"recovered_after_restart_s": recovered_s, "batches_refused_503": refused})
    print(f"\nPostgreSQL restart: ingest recovered {recovered_s} s after start; {refused} batches got 503")
