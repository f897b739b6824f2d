"""Reads of the outbox: how much waits, and for how long, per kind and per client.

The backlog counts undelivered messages, pending and parked alike (a parked message is still owed to its
receiver); `oldest_s` is the age in seconds of the oldest of them, 0 when there is none.
"""

from django.db.models import Count, Min, Q
from django.utils import timezone

from outbox.models import OutboxMessage

UNDELIVERED = (OutboxMessage.State.PENDING, OutboxMessage.State.PARKED)
PARKED = Q(state=OutboxMessage.State.PARKED)


def outbox_backlog(*, kind: str) -> dict:
    figures = OutboxMessage.objects.filter(kind=kind, state__in=UNDELIVERED).aggregate(
        backlog=Count("id"), oldest=Min("created_at")
    )
    return {"backlog": figures["backlog"], "oldest_s": _age_s(figures["oldest"])}


def outbox_backlog_per_client(*, kind: str) -> dict[str, dict]:
    """{schema_name: {"backlog", "parked", "oldest_s"}} for every client with undelivered messages."""
    rows = (
        OutboxMessage.objects.filter(kind=kind, state__in=UNDELIVERED)
        .values("schema_name")
        .annotate(
            backlog=Count("id"),
            parked=Count("id", filter=PARKED),
            oldest=Min("created_at"),
        )
        .order_by("schema_name")
    )
    return {
        row["schema_name"]: {
            "backlog": row["backlog"],
            "parked": row["parked"],
            "oldest_s": _age_s(row["oldest"]),
        }
        for row in rows
    }


def outbox_backlog_per_kind() -> dict[str, dict]:
    """{kind: {"backlog", "parked", "oldest_s"}} over every kind with undelivered messages."""
    rows = (
        OutboxMessage.objects.filter(state__in=UNDELIVERED)
        .values("kind")
        .annotate(backlog=Count("id"), parked=Count("id", filter=PARKED), oldest=Min("created_at"))
        .order_by("kind")
    )
    return {
        row["kind"]: {"backlog": row["backlog"], "parked": row["parked"], "oldest_s": _age_s(row["oldest"])}
        for row in rows
    }


def _age_s(oldest) -> float:
    return 0.0 if oldest is None else round((timezone.now() - oldest).total_seconds(), 1)
