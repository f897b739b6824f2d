import pytest

from .conftest import now

pytestmark = pytest.mark.slow


def test_the_backlog_of_a_revoked_link_is_kept_and_delivered_with_a_new_token(pair):
    staff = pair.slave.api()
    assert staff.delete(f"{pair.slave.url}/api/links/{pair.link_id}", timeout=30).status_code == 204
    revoked_at = now()

    def refused_and_kept() -> bool:
        rows = pair.master.sql(
            "SELECT count(*) FROM outbox_outboxmessage WHERE state = 'pending' AND last_error LIKE '%%401%%'"
        )
        return rows[0][0] >= 2

    pair.wait(refused_and_kept, what="forwards refused with 401 and kept")
    pair.wait_for_polls(since=revoked_at, per_device=1)
    assert pair.master.sql("SELECT count(*) FROM outbox_outboxmessage WHERE state = 'parked'") == [(0,)]

    pair.link_id, token = pair.link_new()
    pair.master.env["FORWARDER_TOKEN"] = token
    pair.master.stop("worker")
    pair.master.start("worker")

    pair.wait_in_step(until=now())
