import itertools

from meters.polling.schedule import poll_phase_seconds


def test_ten_meters_added_together_fall_due_at_least_a_second_apart():
    phases = sorted(poll_phase_seconds(device_id=n, interval=30) for n in range(101, 111))

    assert all(later - earlier >= 1 for earlier, later in itertools.pairwise(phases))


def test_a_phase_stays_within_the_interval():
    assert all(0 <= poll_phase_seconds(device_id=n, interval=7) < 7 for n in range(1, 1000))
