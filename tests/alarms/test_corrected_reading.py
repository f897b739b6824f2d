"""A reading corrected at the same timestamp is judged again: the corrected value decides."""

from tests.helpers.alarms import START, events, power_every_minute, rule_make
from tests.helpers.devices import readings_store


def test_a_corrected_reading_at_the_same_time_clears_what_the_wrong_one_raised(acme, acme_device):
    rule_make(acme)
    readings_store(acme, acme_device, power_every_minute([50, 5000]))

    readings_store(acme, acme_device, power_every_minute([5], start=START.replace(minute=1)))

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 5000.0), ("cleared", 5.0)]


def test_a_corrected_reading_at_the_same_time_raises_what_the_wrong_one_missed(acme, acme_device):
    rule_make(acme)
    readings_store(acme, acme_device, power_every_minute([50, 60]))

    readings_store(acme, acme_device, power_every_minute([600], start=START.replace(minute=1)))

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 600.0)]


def test_the_same_reading_replayed_raises_nothing_more(acme, acme_device):
    rule_make(acme)
    readings_store(acme, acme_device, power_every_minute([50, 5000]))

    readings_store(acme, acme_device, power_every_minute([50, 5000]))

    assert [kind for kind, _, _ in events(acme)] == ["raised"]
