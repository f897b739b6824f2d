"""When a meter that stopped answering may be tried again: a pure decision, so it is easy to test.

Each failed attempt holds its bus for the whole timeout; backing off keeps a dead meter from taking the
wire from the neighbours that still answer.
"""

from datetime import datetime, timedelta

BACKOFF_FIRST_S = 30.0
BACKOFF_MAX_S = 300.0
# Beat fires on a timer and workers pick tasks up a little late: a poll that arrives this much early
# for its backoff is still taken, so a 30-s backoff does not turn into a skipped 30-s poll.
BACKOFF_SLACK_S = 2.0


def poll_backoff_seconds(*, consecutive_failures: int) -> float:
    """30 s after one failure, doubling with each further failure, capped at 5 minutes."""
    if consecutive_failures <= 0:
        return 0.0
    # min() on the exponent too, so a meter dead for months does not grow an enormous integer.
    return min(BACKOFF_FIRST_S * 2 ** min(consecutive_failures - 1, 16), BACKOFF_MAX_S)


def poll_is_due(*, now: datetime, last_attempt_at: datetime | None, consecutive_failures: int) -> bool:
    """Whether a scheduled poll should address the meter now, or skip it while it is backed off."""
    if last_attempt_at is None or consecutive_failures <= 0:
        return True
    wait = poll_backoff_seconds(consecutive_failures=consecutive_failures) - BACKOFF_SLACK_S
    return now - last_attempt_at >= timedelta(seconds=wait)
