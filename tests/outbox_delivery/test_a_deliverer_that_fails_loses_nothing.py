from outbox.kinds import DeliveryResult, outbox_kind_register
from outbox.models import OutboxMessage
from outbox.services import outbox_drain

from .conftest import put_in


def test_a_deliverer_that_raises_leaves_its_batch_pending_with_the_error(acme, kind_make):
    kind = kind_make(ordered=True)

    def explode(messages):
        raise ConnectionError("slave unreachable")

    outbox_kind_register(kind=kind, deliver=explode, batch_size=10, ordered=True)
    put_in(acme, kind=kind, numbers=[1, 2])

    outbox_drain(kind=kind)

    rows = OutboxMessage.objects.filter(kind=kind)
    assert {(m.state, m.attempts, m.last_error) for m in rows} == {
        ("pending", 1, "ConnectionError: slave unreachable")
    }


def test_a_message_the_deliverer_does_not_mention_is_retried(acme, kind_make):
    kind = kind_make(ordered=False)
    outbox_kind_register(kind=kind, deliver=lambda messages: DeliveryResult(), batch_size=10, ordered=False)
    (message,) = put_in(acme, kind=kind, numbers=[1])

    outbox_drain(kind=kind)

    message.refresh_from_db()
    assert (message.state, message.attempts) == ("pending", 1)
