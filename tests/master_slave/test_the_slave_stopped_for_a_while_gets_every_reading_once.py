import pytest

from .conftest import now

pytestmark = pytest.mark.slow

# The outage: a minute in production terms, scaled down to fit the suite's time budget (three polls of
# every meter at the shortest poll interval).
OUTAGE_S = 15


def test_every_reading_stored_while_the_slave_was_down_arrives_once(pair):
    pair.slave.stop("web")
    down_at = now()
    pair.wait(
        lambda: pair.master.health()["forwarding"]["oldest_s"] >= OUTAGE_S,
        what=f"readings waiting {OUTAGE_S} s for the slave",
    )
    pair.slave.start("web")
    up_at = now()

    pair.wait_in_step(until=up_at)

    per_device = pair.master_readings_per_device(since=down_at)
    assert min(per_device) >= 2  # polls of the outage, now on the slave
    (retried,) = pair.master.sql(
        "SELECT count(*) FROM outbox_outboxmessage WHERE kind = 'forwarding.readings' AND attempts > 1"
    )[0]
    assert retried > 0
    assert pair.master.sql("SELECT count(*) FROM outbox_outboxmessage WHERE state = 'parked'") == [(0,)]
