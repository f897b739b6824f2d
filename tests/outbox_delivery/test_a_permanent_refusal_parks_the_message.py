from outbox.models import OutboxMessage
from outbox.selectors import outbox_backlog, outbox_backlog_per_client
from outbox.services import outbox_drain, outbox_retry_parked

from .conftest import put_in


def test_a_refused_message_is_parked_with_the_reason_and_never_attempted_again(
    acme, kind_make, receiver, ordered
):
    kind = kind_make(ordered=ordered)
    (message,) = put_in(acme, kind=kind, numbers=[1])
    receiver.answers[acme.schema_name] = "park"

    outbox_drain(kind=kind)
    outbox_drain(kind=kind)

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PARKED
    assert message.last_error == "receiver refuses this client"
    assert receiver.seen == [[1]]


def test_a_parked_message_counts_in_the_backlog_of_its_client(acme, globex, kind_make, receiver):
    kind = kind_make(ordered=True)
    put_in(acme, kind=kind, numbers=[1, 2])
    put_in(globex, kind=kind, numbers=[3])
    receiver.answers[acme.schema_name] = "park"
    outbox_drain(kind=kind)

    assert outbox_backlog(kind=kind)["backlog"] == 2
    per_client = outbox_backlog_per_client(kind=kind)
    assert set(per_client) == {acme.schema_name}
    assert per_client[acme.schema_name]["parked"] == 2


def test_retrying_parked_messages_delivers_them(acme, kind_make, receiver):
    kind = kind_make(ordered=True)
    messages = put_in(acme, kind=kind, numbers=[1, 2])
    receiver.answers[acme.schema_name] = "park"
    outbox_drain(kind=kind)
    receiver.answers[acme.schema_name] = "ok"

    assert outbox_retry_parked(ids=[m.id for m in messages]) == 2
    outbox_drain(kind=kind)

    assert receiver.delivered_numbers == [1, 2, 1, 2]
    assert outbox_backlog(kind=kind) == {"backlog": 0, "oldest_s": 0.0}
