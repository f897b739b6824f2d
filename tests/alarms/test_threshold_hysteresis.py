"""Hysteresis: a raised alarm clears only once the value is back past the threshold by the margin."""

from tests.helpers.alarms import events, power_every_minute, rule_make
from tests.helpers.devices import readings_store


def test_a_value_hovering_on_the_threshold_raises_one_event(acme, acme_device):
    rule_make(acme, threshold=230.0, hysteresis=5.0)
    hovering = [229.5, 230.4, 229.8, 230.2, 229.1, 230.9, 228.0, 231.0, 226.0, 230.5]

    readings_store(acme, acme_device, power_every_minute(hovering))

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 230.4)]


def test_the_alarm_clears_once_the_value_is_past_the_margin(acme, acme_device):
    rule_make(acme, threshold=230.0, hysteresis=5.0)

    readings_store(acme, acme_device, power_every_minute([231.0, 226.0, 225.0, 224.9]))

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 231.0), ("cleared", 225.0)]


def test_a_below_rule_clears_above_the_threshold_plus_the_margin(acme, acme_device):
    rule_make(acme, operator="<", threshold=117.0, hysteresis=2.0)

    readings_store(acme, acme_device, power_every_minute([116.0, 118.0, 116.5, 119.0]))

    assert [(kind, value) for kind, value, _ in events(acme)] == [("raised", 116.0), ("cleared", 119.0)]
