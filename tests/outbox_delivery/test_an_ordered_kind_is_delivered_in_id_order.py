from outbox.models import OutboxMessage
from outbox.services import outbox_drain

from .conftest import put_in


def test_messages_are_delivered_in_the_order_they_were_put_in_batches(acme, globex, kind_make, receiver):
    kind = kind_make(ordered=True, batch_size=3)
    for n in range(8):
        put_in(acme if n % 2 else globex, kind=kind, numbers=[n])

    assert outbox_drain(kind=kind) == 8

    assert receiver.seen == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert set(OutboxMessage.objects.filter(kind=kind).values_list("state", flat=True)) == {"delivered"}


def test_a_delivered_message_is_not_delivered_again(acme, kind_make, receiver):
    kind = kind_make(ordered=True)
    put_in(acme, kind=kind, numbers=[1, 2])
    outbox_drain(kind=kind)

    assert outbox_drain(kind=kind) == 0
    assert receiver.delivered_numbers == [1, 2]
