"""A worker process killed (-9) in the middle of a meter's read: the poll comes back to the queue (late
acknowledgement), waits out the lock the dead process left on the device, and is redone; one poll stores
one reading, not two."""

import os
import signal
import time

import psutil
import pytest
from celery import Celery
from faults_testing import QUEUE, TASK_TIME_LIMIT_S, seconds_since

from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow


def _reading_process(*, worker_pid: int, port: int) -> psutil.Process | None:
    """The worker's pool process talking to the meter at `port` right now."""
    for child in psutil.Process(worker_pid).children(recursive=True):
        try:
            if any(c.raddr and c.raddr.port == port for c in child.net_connections(kind="tcp")):
                return child
        except psutil.NoSuchProcess:
            continue
    return None


def test_a_poll_whose_worker_is_killed_is_redone_once(stack, record_property):
    before = len(stack.readings("slow"))
    bus, port = stack.buses["slow"], stack.simulators["slow"].port
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
    reader = _reading_process(worker_pid=stack.processes["worker"].pid, port=port)
    assert reader is not None
    os.kill(reader.pid, signal.SIGKILL)
    killed_at = time.monotonic()

    wait_until(
        lambda: len(stack.readings("slow")) > before,
        timeout=TASK_TIME_LIMIT_S + 15,
        what="the killed poll to be redone",
    )
    redone_s = seconds_since(killed_at)
    finished = f"meters.poll_device[{task.id}] succeeded"
    wait_until(lambda: finished in stack.log("worker"), what="the redone poll to end")

    assert len(stack.readings("slow")) == before + 1
    assert f"meters.poll_device[{task.id}] retry" in stack.log("worker")
    record_property("figures", {"redone_after_kill_s": redone_s, "lock_ttl_s": TASK_TIME_LIMIT_S})
    print(f"\nworker kill -9: poll redone {redone_s} s after the kill (lock TTL {TASK_TIME_LIMIT_S} s)")
