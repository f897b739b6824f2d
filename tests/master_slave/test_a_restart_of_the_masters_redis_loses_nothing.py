import pytest

from .conftest import now

pytestmark = pytest.mark.slow


def test_readings_waiting_when_the_masters_redis_restarts_all_arrive(pair):
    pair.wait(lambda: pair.master.health()["forwarding"]["backlog"] > 0, what="readings on their way")

    pair.redis.stop()
    pair.redis.start()
    restarted_at = now()

    # Polls go on after the restart (worker and beat reconnected), and every reading arrives: those whose
    # "drain now" was lost with Redis too.
    pair.wait_for_polls(since=restarted_at, per_device=1)
    pair.wait_in_step(until=now())
