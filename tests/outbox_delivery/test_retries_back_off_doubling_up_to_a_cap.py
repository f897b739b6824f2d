from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import outbox_drain, outbox_retry_delay

from .conftest import due_now, put_in


@override_settings(OUTBOX_RETRY_BASE_S=2.0, OUTBOX_RETRY_MAX_S=60.0)
def test_the_delay_doubles_from_the_base_and_stops_at_the_cap():
    assert [outbox_retry_delay(attempts=n) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]


def test_each_failed_attempt_pushes_the_next_one_further_and_keeps_the_error(
    acme, kind_make, receiver, ordered
):
    kind = kind_make(ordered=ordered)
    (message,) = put_in(acme, kind=kind, numbers=[1])
    receiver.answers[acme.schema_name] = "retry"
    waits = []
    for _ in range(3):
        before = timezone.now()
        outbox_drain(kind=kind)
        message.refresh_from_db()
        waits.append(message.next_attempt_at - before)
        due_now(kind)

    assert message.attempts == 3
    assert message.state == OutboxMessage.State.PENDING
    assert message.last_error == "receiver down"
    assert [round(wait / timedelta(seconds=1)) for wait in waits] == [2, 4, 8]


def test_a_message_in_its_backoff_is_not_attempted(acme, kind_make, receiver, ordered):
    kind = kind_make(ordered=ordered)
    put_in(acme, kind=kind, numbers=[1])
    receiver.answers[acme.schema_name] = "retry"
    outbox_drain(kind=kind)
    receiver.answers[acme.schema_name] = "ok"

    outbox_drain(kind=kind)

    assert receiver.seen == [[1]]
