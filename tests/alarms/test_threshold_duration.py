"""A threshold rule with a duration raises only when its condition held that long by the readings' own
times, however the readings arrive."""

from datetime import timedelta

from tests.helpers.alarms import START, events, power_at, rule_make
from tests.helpers.devices import readings_store


def test_a_violation_shorter_than_the_duration_raises_nothing(acme, acme_device):
    rule_make(acme, duration_s=300)

    readings_store(acme, acme_device, power_at([0, 60, 120, 240, 360], [50, 500, 500, 500, 50]))

    assert events(acme) == []


def test_a_violation_longer_than_the_duration_raises_once_when_it_has_lasted(acme, acme_device):
    rule_make(acme, duration_s=300)

    for second, value in [(0, 500), (120, 500), (299, 500), (300, 500), (420, 500), (600, 500)]:
        readings_store(acme, acme_device, power_at([second], [value]))

    assert events(acme) == [("raised", 500.0, START + timedelta(seconds=300))]


def test_a_late_batch_is_judged_by_its_reading_times_not_by_its_arrival(acme, acme_device):
    rule_make(acme, duration_s=300)
    # Ten minutes of a gateway's backlog, arriving at once and out of order.
    backlog = power_at(
        [540, 0, 60, 180, 300, 360, 420, 480, 120, 240], [50, 500, 500, 500, 500, 500, 50, 50, 500, 500]
    )

    readings_store(acme, acme_device, backlog)

    assert events(acme) == [
        ("raised", 500.0, START + timedelta(seconds=300)),
        ("cleared", 50.0, START + timedelta(seconds=420)),
    ]


def test_a_late_batch_of_short_violations_raises_nothing(acme, acme_device):
    rule_make(acme, duration_s=300)
    flickers = power_at([0, 30, 200, 230, 400, 430], [500, 50, 500, 50, 500, 50])

    readings_store(acme, acme_device, flickers)

    assert events(acme) == []
