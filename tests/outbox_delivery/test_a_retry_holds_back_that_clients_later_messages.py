from outbox.services import outbox_drain

from .conftest import due_now, put_in


def test_later_messages_of_a_failing_client_wait_while_other_clients_flow(acme, globex, kind_make, receiver):
    kind = kind_make(ordered=True, batch_size=2)
    put_in(acme, kind=kind, numbers=[1, 2])
    receiver.answers[acme.schema_name] = "retry"
    outbox_drain(kind=kind)
    put_in(acme, kind=kind, numbers=[3])
    put_in(globex, kind=kind, numbers=[10, 11])

    outbox_drain(kind=kind)

    # acme's 3 may not overtake 1 and 2, which wait for their backoff; globex is not held up.
    assert receiver.seen == [[1, 2], [10, 11]]

    receiver.answers[acme.schema_name] = "ok"
    due_now(kind)
    outbox_drain(kind=kind)
    assert receiver.seen[-2:] == [[1, 2], [3]]


def test_an_ordered_drain_stops_at_the_first_retry(acme, kind_make, receiver):
    kind = kind_make(ordered=True, batch_size=1)
    put_in(acme, kind=kind, numbers=[1, 2, 3])
    receiver.answers[acme.schema_name] = "retry"

    outbox_drain(kind=kind)

    assert receiver.seen == [[1]]
