"""A worker killed (-9) in the middle of a meter's read and started again by its supervisor: the poll
it had taken comes back to the queue after the broker's visibility timeout (it was never acknowledged) and
is redone once the dead worker's locks have expired; one poll stores one reading, not two."""

import time

import pytest
from celery import Celery
from faults_testing import QUEUE, READ_MAX_S, VISIBILITY_TIMEOUT_S, seconds_since

from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow


def test_a_poll_whose_worker_is_killed_is_redone_once(stack, record_property):
    before = len(stack.readings("slow"))
    bus = stack.buses["slow"]
    transactions = bus.transactions
    # Not the current app: the other packages' tasks must still go to the machine's broker.
    broker = Celery(broker=stack.redis.url, set_as_current=False)
    task = broker.send_task(
        "meters.poll_device",
        kwargs={"device_id": stack.devices["slow"]},
        headers={"_schema_name": stack.schema},
        queue=QUEUE,
    )
    broker.close()
    wait_until(lambda: bus.transactions > transactions, what="the meter's read to start")
    restarts = stack.restarts["worker"]
    stack.service_kill("worker")
    killed_at = time.monotonic()
    wait_until(lambda: stack.restarts["worker"] > restarts, what="the supervisor to start the worker again")

    wait_until(
        lambda: len(stack.readings("slow")) > before,
        timeout=VISIBILITY_TIMEOUT_S + 2 * READ_MAX_S + 20,
        what="the killed poll to be redone",
    )
    redone_s = seconds_since(killed_at)
    finished = f"meters.poll_device[{task.id}] succeeded"
    wait_until(lambda: finished in stack.log("worker"), what="the redone poll to end")

    assert len(stack.readings("slow")) == before + 1
    record_property(
        "figures", {"redone_after_kill_s": redone_s, "visibility_timeout_s": VISIBILITY_TIMEOUT_S}
    )
    print(f"\nworker kill -9: poll redone {redone_s} s after the kill")
