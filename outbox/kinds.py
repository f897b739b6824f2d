"""What the outbox delivers: each kind registers how its messages leave the platform.

A deliverer takes a batch of messages of its kind and says, per message id, what became of it. A message
it does not mention is retried, as is every message of a batch whose deliverer raises.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from outbox.models import OutboxMessage


@dataclass
class DeliveryResult:
    delivered: list[int] = field(default_factory=list)
    # id -> why it failed this time; retried after a backoff.
    retry: dict[int, str] = field(default_factory=dict)
    # id -> why it can never be delivered as it is (a permanent refusal); kept, not dropped.
    parked: dict[int, str] = field(default_factory=dict)


Deliverer = Callable[[list[OutboxMessage]], DeliveryResult]


@dataclass(frozen=True)
class OutboxKind:
    kind: str
    deliver: Deliverer
    batch_size: int
    ordered: bool
    # Messages put within this many seconds of the first one are drained together, in one batch.
    linger_s: float = 0.0


_KINDS: dict[str, OutboxKind] = {}


def outbox_kind_register(
    *, kind: str, deliver: Deliverer, batch_size: int, ordered: bool, linger_s: float = 0.0
) -> None:
    """ordered=True: drained strictly in id order, and a retry holds back the rest of its client's
    messages (later ones are never delivered before it). ordered=False: each message on its own."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    _KINDS[kind] = OutboxKind(
        kind=kind, deliver=deliver, batch_size=batch_size, ordered=ordered, linger_s=linger_s
    )


def outbox_kind_get(kind: str) -> OutboxKind | None:
    return _KINDS.get(kind)


def outbox_kinds() -> list[OutboxKind]:
    return list(_KINDS.values())
