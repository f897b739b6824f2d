from django.db import connection

from meters.polling.lanes import redis_client
from outbox.services import outbox_drain

from .conftest import put_in


def test_a_drain_returns_at_once_while_another_holds_the_kind(acme, kind_make, receiver):
    kind = kind_make(ordered=True)
    put_in(acme, kind=kind, numbers=[1])
    lock = redis_client().lock(f"pieng:outbox:drain:{connection.settings_dict['NAME']}:{kind}", timeout=30)
    assert lock.acquire(blocking=False)
    try:
        assert outbox_drain(kind=kind) == -1
        assert receiver.seen == []
    finally:
        lock.release()
    assert outbox_drain(kind=kind) == 1
