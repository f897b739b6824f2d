from datetime import UTC, datetime, timedelta

from meters.polling.backoff import poll_is_due

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def test_a_meter_never_tried_is_due():
    assert poll_is_due(now=NOW, last_attempt_at=None, consecutive_failures=0)


def test_a_meter_that_answered_is_due_at_every_poll():
    assert poll_is_due(now=NOW, last_attempt_at=ago(1), consecutive_failures=0)


def test_a_meter_that_failed_three_times_waits_two_minutes_since_its_last_attempt():
    assert not poll_is_due(now=NOW, last_attempt_at=ago(90), consecutive_failures=3)
    assert poll_is_due(now=NOW, last_attempt_at=ago(120), consecutive_failures=3)


def test_a_poll_that_arrives_a_little_early_for_a_30_s_backoff_is_taken():
    # Beat fires every 30 s, and the previous attempt started a moment after its own tick.
    assert poll_is_due(now=NOW, last_attempt_at=ago(29.5), consecutive_failures=1)


def test_a_long_dead_meter_is_still_tried_every_five_minutes():
    assert not poll_is_due(now=NOW, last_attempt_at=ago(240), consecutive_failures=50)
    assert poll_is_due(now=NOW, last_attempt_at=ago(300), consecutive_failures=50)
