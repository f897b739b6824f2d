import uuid

from meters.polling.lanes import device_lock_key, poll_locks_take, redis_client


def _take(*, schema: str, device_id: int, wait: float = 0.0):
    return poll_locks_take(
        schema=schema, device_id=device_id, bus_key=None, gap=0, device_wait=wait, bus_wait=0
    )


def test_a_poll_still_running_is_not_started_twice():
    schema = f"client_{uuid.uuid4().hex}"
    first = _take(schema=schema, device_id=1)
    second = _take(schema=schema, device_id=1)
    held = (first.device, second.device)
    first.release()
    assert held == (True, False)


def test_another_device_is_polled_meanwhile():
    schema = f"client_{uuid.uuid4().hex}"
    first = _take(schema=schema, device_id=1)
    other = _take(schema=schema, device_id=2)
    assert other.device
    first.release()
    other.release()


def test_the_same_device_id_in_another_client_is_another_device():
    first = _take(schema=f"client_{uuid.uuid4().hex}", device_id=1)
    other = _take(schema=f"client_{uuid.uuid4().hex}", device_id=1)
    assert other.device
    first.release()
    other.release()


def test_a_released_device_can_be_polled_again():
    schema = f"client_{uuid.uuid4().hex}"
    _take(schema=schema, device_id=1).release()
    assert _take(schema=schema, device_id=1).device


def test_a_lock_left_by_a_dead_worker_expires(settings):
    settings.CELERY_TASK_TIME_LIMIT = 1
    schema = f"client_{uuid.uuid4().hex}"
    # A worker killed mid-poll never releases: acquire and walk away.
    redis_client().lock(device_lock_key(schema=schema, device_id=1), timeout=1).acquire()

    assert not _take(schema=schema, device_id=1).device
    assert _take(schema=schema, device_id=1, wait=3).device
