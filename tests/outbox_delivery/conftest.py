"""A test kind whose deliverer answers as the test tells it, per client schema, and records what it saw."""

import uuid
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import override_settings

from outbox.kinds import _KINDS, DeliveryResult, outbox_kind_register
from outbox.models import OutboxMessage
from outbox.services import outbox_put


class Receiver:
    def __init__(self):
        self.seen: list[list[int]] = []
        # schema -> "ok" | "retry" | "park"
        self.answers: dict[str, str] = {}

    def deliver(self, messages: list[OutboxMessage]) -> DeliveryResult:
        self.seen.append([message.payload["n"] for message in messages])
        result = DeliveryResult()
        for message in messages:
            answer = self.answers.get(message.schema_name, "ok")
            if answer == "ok":
                result.delivered.append(message.id)
            elif answer == "retry":
                result.retry[message.id] = "receiver down"
            else:
                result.parked[message.id] = "receiver refuses this client"
        return result

    @property
    def delivered_numbers(self) -> list[int]:
        return [n for batch in self.seen for n in batch]


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture(params=[True, False], ids=["ordered", "unordered"])
def ordered(request) -> bool:
    return request.param


@pytest.fixture
def kind_make(receiver) -> Iterator:
    made = []

    def make(*, ordered: bool, batch_size: int = 100) -> str:
        kind = f"test.{uuid.uuid4().hex[:8]}"
        outbox_kind_register(kind=kind, deliver=receiver.deliver, batch_size=batch_size, ordered=ordered)
        made.append(kind)
        return kind

    with override_settings(OUTBOX_RETRY_BASE_S=2.0, OUTBOX_RETRY_MAX_S=60.0):
        yield make
    for kind in made:
        _KINDS.pop(kind, None)


def put_in(client, *, kind: str, numbers) -> list[OutboxMessage]:
    """Messages put from `client`'s schema, as its ingest transaction would."""
    connection.set_tenant(client)
    try:
        return [outbox_put(kind=kind, payload={"n": n}) for n in numbers]
    finally:
        connection.set_schema_to_public()


def due_now(kind: str) -> None:
    """The clock moves past every backoff (the test's stand-in for waiting)."""
    from django.utils import timezone

    OutboxMessage.objects.filter(kind=kind).update(next_attempt_at=timezone.now())
