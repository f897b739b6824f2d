import pytest

from .conftest import POLL_INTERVAL_S, SYNC_TIMEOUT_S, now

pytestmark = pytest.mark.slow

# A minute of outage: twelve polls of every meter at the shortest poll interval, retried all along (the
# pair's backoff is capped at 2 s, so the slave is asked again within seconds of its return).
OUTAGE_S = 60


def test_every_reading_stored_while_the_slave_was_down_arrives_once(pair):
    pair.slave.stop("web")
    down_at = now()
    pair.wait(
        lambda: pair.master.health()["forwarding"]["oldest_s"] >= OUTAGE_S,
        what=f"readings waiting {OUTAGE_S} s for the slave",
        timeout=OUTAGE_S + SYNC_TIMEOUT_S,
    )
    pair.slave.start("web")
    up_at = now()

    pair.wait_in_step(until=up_at)

    per_device = pair.master_readings_per_device(since=down_at)
    # Polls of the outage, now on the slave (half of them at least: the machine may be busy).
    assert min(per_device) >= OUTAGE_S // POLL_INTERVAL_S // 2
    (retried,) = pair.master.sql(
        "SELECT count(*) FROM outbox_outboxmessage WHERE kind = 'forwarding.readings' AND attempts > 1"
    )[0]
    assert retried > 0
    assert pair.master.sql("SELECT count(*) FROM outbox_outboxmessage WHERE state = 'parked'") == [(0,)]
