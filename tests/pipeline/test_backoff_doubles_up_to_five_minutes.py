from meters.polling.backoff import poll_backoff_seconds


def test_a_meter_that_answers_is_not_backed_off():
    assert poll_backoff_seconds(consecutive_failures=0) == 0


def test_the_backoff_starts_at_30_s_and_doubles_with_each_failure():
    waits = [poll_backoff_seconds(consecutive_failures=n) for n in range(1, 5)]

    assert waits == [30, 60, 120, 240]


def test_the_backoff_stops_growing_at_five_minutes():
    assert poll_backoff_seconds(consecutive_failures=5) == 300
    assert poll_backoff_seconds(consecutive_failures=10_000) == 300
