import uuid

from meters.polling.lanes import device_lock, device_lock_key, redis_client


def test_a_poll_still_running_is_not_started_twice():
    schema = f"client_{uuid.uuid4().hex}"
    with device_lock(schema=schema, device_id=1) as first:
        with device_lock(schema=schema, device_id=1) as second:
            assert (first, second) == (True, False)


def test_another_device_is_polled_meanwhile():
    schema = f"client_{uuid.uuid4().hex}"
    with device_lock(schema=schema, device_id=1), device_lock(schema=schema, device_id=2) as other:
        assert other


def test_the_same_device_id_in_another_client_is_another_device():
    with device_lock(schema=f"client_{uuid.uuid4().hex}", device_id=1):
        with device_lock(schema=f"client_{uuid.uuid4().hex}", device_id=1) as other:
            assert other


def test_a_lock_left_by_a_dead_worker_expires(settings):
    settings.CELERY_TASK_TIME_LIMIT = 1
    schema = f"client_{uuid.uuid4().hex}"
    # A worker killed mid-poll never releases: acquire and walk away.
    redis_client().lock(device_lock_key(schema=schema, device_id=1), timeout=1).acquire()

    with device_lock(schema=schema, device_id=1) as now:
        assert not now
    with device_lock(schema=schema, device_id=1, wait=3) as later:
        assert later
