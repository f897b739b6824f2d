"""Writes of the outbox: put a message in the caller's transaction, drain a kind, retry parked messages.

Delivery is at least once: a message is marked delivered only after its deliverer said so, so a drainer
that dies between the two delivers it again. Receivers make a repeat harmless (forwarding stores a
reading once per device and time).
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min
from django.utils import timezone
from django_tenants.utils import schema_context
from redis.exceptions import LockError, RedisError

from meters.polling.lanes import redis_client
from outbox.kinds import DeliveryResult, OutboxKind, outbox_kind_get
from outbox.models import OutboxMessage

log = logging.getLogger(__name__)

DRAIN_TASK = "outbox.drain"
KEY_PREFIX = "pieng:outbox:"
ERROR_MAX_CHARS = 2000


def outbox_put(*, kind: str, payload: dict) -> OutboxMessage:
    """Store a message in the caller's transaction (it exists if and only if the caller's work commits)
    and ask for a drain once that transaction commits.

    The ask is best effort: when the broker cannot take it, the periodic drain delivers the message.
    """
    message = OutboxMessage.objects.create(kind=kind, schema_name=connection.schema_name, payload=payload)
    transaction.on_commit(lambda: outbox_kick(kind=kind), robust=True)
    return message


def outbox_kick(*, kind: str) -> None:
    """Queue a drain of `kind` now, or after its linger (one drain per linger window)."""
    from outbox.tasks import drain

    spec = outbox_kind_get(kind)
    linger = spec.linger_s if spec is not None else 0.0
    if linger > 0 and not redis_client().set(
        f"{KEY_PREFIX}kick:{_database()}:{kind}", 1, nx=True, px=int(linger * 1000)
    ):
        return  # a drain is already queued for this window
    # The drain reads the shared table from the public schema, whichever client's work queued it; it
    # fails fast (no publish retries) so that an outage of the broker never holds up the caller.
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        drain.apply_async(kwargs={"kind": kind}, countdown=linger or None, retry=False)


def outbox_drain(*, kind: str, budget_s: float | None = None) -> int:
    """Deliver the due messages of `kind`, batch after batch, until none is due or `budget_s` is spent.

    One drainer per kind at a time (a Redis lock); returns how many messages were delivered, or -1 when
    another drainer holds the kind.
    """
    spec = outbox_kind_get(kind)
    if spec is None:
        log.warning("outbox: no deliverer registered for kind %r", kind)
        return 0
    budget = settings.OUTBOX_DRAIN_BUDGET_S if budget_s is None else budget_s
    deadline = time.monotonic() + budget
    delivered = 0
    with _drain_lock(kind=kind) as held:
        if not held:
            return -1
        after_id = 0
        while True:
            batch = _batch_due(spec, after_id=after_id)
            if not batch:
                return delivered
            result = _deliver(spec, batch)
            _record(batch, result)
            delivered += len(result.delivered)
            # Nothing of this batch is due again in this run (delivered, parked or waiting for a retry):
            # the next batch starts after it, a range of the primary key. From the start of the table the
            # database may walk every message delivered in the last day before the first pending one.
            after_id = batch[-1].id
            if spec.ordered and (result.retry or _unreported(batch, result)):
                return delivered  # the rest waits for the failed client's backoff
            if time.monotonic() >= deadline:
                break
    # Budget spent with work left: hand over to a fresh task rather than hold a worker for long.
    outbox_kick(kind=kind)
    return delivered


def outbox_retry_parked(*, ids: list[int]) -> int:
    """Parked messages back in the queue (after their cause was fixed), due now."""
    kinds = set(
        OutboxMessage.objects.filter(pk__in=ids, state=OutboxMessage.State.PARKED).values_list(
            "kind", flat=True
        )
    )
    count = OutboxMessage.objects.filter(pk__in=ids, state=OutboxMessage.State.PARKED).update(
        state=OutboxMessage.State.PENDING, next_attempt_at=timezone.now()
    )
    for kind in kinds:
        transaction.on_commit(lambda kind=kind: outbox_kick(kind=kind), robust=True)
    return count


def outbox_purge_delivered(*, older_than: timedelta) -> int:
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxMessage.objects.filter(
        state=OutboxMessage.State.DELIVERED, delivered_at__lt=cutoff
    ).delete()
    return deleted


def outbox_retry_delay(*, attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failed ones: doubling from the base, capped."""
    base, cap = settings.OUTBOX_RETRY_BASE_S, settings.OUTBOX_RETRY_MAX_S
    return min(cap, base * 2 ** min(max(attempts - 1, 0), 30))


def _batch_due(spec: OutboxKind, *, after_id: int) -> list[OutboxMessage]:
    now = timezone.now()
    pending = OutboxMessage.objects.filter(kind=spec.kind, state=OutboxMessage.State.PENDING)
    due = pending.filter(id__gt=after_id)
    if not spec.ordered:
        return list(due.filter(next_attempt_at__lte=now).order_by("id")[: spec.batch_size])
    # Ordered: a client whose earliest pending message waits for its backoff is held back from that
    # message on, so none of its later messages overtakes it; other clients flow.
    held_back = (
        pending.filter(next_attempt_at__gt=now).values("schema_name").annotate(first=Min("id")).order_by()
    )
    for row in held_back:
        due = due.exclude(schema_name=row["schema_name"], id__gte=row["first"])
    return list(due.order_by("id")[: spec.batch_size])


def _deliver(spec: OutboxKind, batch: list[OutboxMessage]) -> DeliveryResult:
    try:
        return spec.deliver(batch)
    except Exception as error:  # a deliverer's bug must not lose or drop the batch
        log.exception("outbox: deliverer of %r failed", spec.kind)
        text = f"{error.__class__.__name__}: {error}"
        return DeliveryResult(retry={message.id: text for message in batch})


def _unreported(batch: list[OutboxMessage], result: DeliveryResult) -> list[OutboxMessage]:
    reported = set(result.delivered) | set(result.retry) | set(result.parked)
    return [message for message in batch if message.id not in reported]


@transaction.atomic
def _record(batch: list[OutboxMessage], result: DeliveryResult) -> None:
    now = timezone.now()
    by_id = {message.id: message for message in batch}
    delivered = [i for i in result.delivered if i in by_id]
    if delivered:
        OutboxMessage.objects.filter(pk__in=delivered).update(
            state=OutboxMessage.State.DELIVERED, delivered_at=now, attempts=F("attempts") + 1, last_error=""
        )
    retry = {i: error for i, error in result.retry.items() if i in by_id and i not in result.delivered}
    for message in _unreported(batch, result):
        retry[message.id] = "not reported by the deliverer"
    parked = {i: reason for i, reason in result.parked.items() if i in by_id and i not in retry}
    changed = []
    for message_id, error in retry.items():
        message = by_id[message_id]
        message.attempts += 1
        message.last_error = error[:ERROR_MAX_CHARS]
        message.next_attempt_at = now + timedelta(seconds=outbox_retry_delay(attempts=message.attempts))
        changed.append(message)
    for message_id, reason in parked.items():
        message = by_id[message_id]
        message.attempts += 1
        message.last_error = reason[:ERROR_MAX_CHARS]
        message.state = OutboxMessage.State.PARKED
        changed.append(message)
        log.error("outbox: %s parked: %s", message, reason)
    OutboxMessage.objects.bulk_update(
        changed, ["attempts", "last_error", "next_attempt_at", "state"], batch_size=1000
    )
    if retry:
        log.warning(
            "outbox: %d %s message(s) to retry: %s", len(retry), batch[0].kind, next(iter(retry.values()))
        )


@contextmanager
def _drain_lock(*, kind: str) -> Iterator[bool]:
    lock = redis_client().lock(
        f"{KEY_PREFIX}drain:{_database()}:{kind}", timeout=float(settings.CELERY_TASK_TIME_LIMIT)
    )
    try:
        acquired = lock.acquire(blocking=False)
    except RedisError as error:
        # Without Redis no other drainer can be told apart; the database rows stay the truth, and a
        # repeat delivery is harmless, so drain rather than stall.
        log.warning("outbox: drain lock unavailable (%s); draining %s without it", error, kind)
        yield True
        return
    if not acquired:
        yield False
        return
    try:
        yield True
    finally:
        try:
            lock.release()
        except (LockError, RedisError):
            log.warning("outbox: drain lock of %s expired or was lost before the drain finished", kind)


def _database() -> str:
    # Deployments (and test runs) may share one Redis: keys are per database.
    return connection.settings_dict["NAME"]
