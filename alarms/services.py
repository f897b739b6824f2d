"""Writes of alarm rules: the API, the admin and the portal all change rules through here."""

from alarms.models import AlarmRule


def alarm_rule_create(*, fields: dict) -> AlarmRule:
    rule = AlarmRule(**fields)
    rule.full_clean()
    rule.save()
    return rule


def alarm_rule_update(*, rule: AlarmRule, fields: dict) -> AlarmRule:
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    return rule


def alarm_rule_delete(*, rule: AlarmRule) -> None:
    rule.delete()
