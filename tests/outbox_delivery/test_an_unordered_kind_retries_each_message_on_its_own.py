from outbox.models import OutboxMessage
from outbox.services import outbox_drain

from .conftest import put_in


def test_a_failing_message_does_not_hold_up_the_next_ones(acme, globex, kind_make, receiver):
    kind = kind_make(ordered=False, batch_size=1)
    put_in(acme, kind=kind, numbers=[1, 2])
    put_in(globex, kind=kind, numbers=[3])
    receiver.answers[acme.schema_name] = "retry"

    outbox_drain(kind=kind)

    assert receiver.seen == [[1], [2], [3]]
    states = dict(OutboxMessage.objects.filter(kind=kind).values_list("payload__n", "state"))
    assert states == {1: "pending", 2: "pending", 3: "delivered"}
