"""One EW11 gateway flapping (its TCP server gone and back every 5 s, twice): the meters behind the other
gateway are polled on time all along."""

import itertools
import time

import pytest
from faults_testing import POLL_INTERVAL_S

from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow
FLAP_S = 5.0
FLAPS = 2


def _gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_a_flapping_gateway_leaves_its_neighbours_polls_on_time(stack, beat, record_property):
    wait_until(lambda: len(stack.readings("steady_2")) >= 1, timeout=3 * POLL_INTERVAL_S, what="polls")
    started = time.time()
    port = stack.simulators["flapping"].port
    for _ in range(FLAPS):
        stack.simulators["flapping"].stop()
        time.sleep(FLAP_S / 2)  # the gateway's off time: the fault itself, not a wait for a result
        stack.ew11_start("flapping", port=port)
        time.sleep(FLAP_S / 2)
    ended = time.time()

    worst = 0.0
    for neighbour in ("steady_1", "steady_2"):
        during = [ts for ts in stack.readings(neighbour) if started - POLL_INTERVAL_S <= ts <= ended]
        assert len(during) >= FLAPS * FLAP_S / POLL_INTERVAL_S
        worst = max(worst, *_gaps(during))
    assert worst <= 1.5 * POLL_INTERVAL_S
    record_property("figures", {"neighbour_worst_gap_s": round(worst, 2), "interval_s": POLL_INTERVAL_S})
    print(f"\nEW11 flapping: neighbours' worst gap {worst:.2f} s (interval {POLL_INTERVAL_S} s)")
