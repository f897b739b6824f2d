"""Alarm rule writes, acknowledgement, and the periodic check of each client (offline devices, control
limits, raises held back by the notification cooldown)."""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from alarms.evaluate import EventWalk, alarm_states_lock
from alarms.models import AlarmEvent, AlarmRule, AlarmState
from alarms.signals import alarm_rules_changed
from analytics.stats import series_summary
from meters.models import Device
from meters.polling.schedule import interval_schedule
from meters.readings.series import metric_series, readings_last_ts

CHECK_TASK = "alarms.client_check"
CHECK_SCHEDULE_PREFIX = "alarms:"
CONTROL_LIMITS_MAX_AGE = timedelta(days=1)


def alarm_rule_create(*, fields: dict) -> AlarmRule:
    """A new rule (`fields` already validated); a control rule gets its limits at once."""
    rule = AlarmRule(**fields)
    rule.full_clean()
    rule.save()
    _rule_saved(rule=rule)
    return rule


def alarm_rule_update(*, rule: AlarmRule, fields: dict) -> AlarmRule:
    baseline_changed = any(
        name in fields and fields[name] != getattr(rule, name)
        for name in ("kind", "metric", "device", "baseline_days")
    )
    for name, value in fields.items():
        setattr(rule, name, value)
    if baseline_changed:
        rule.limits_computed_at = None
    rule.full_clean()
    rule.save()
    _rule_saved(rule=rule)
    return rule


def alarm_rule_delete(*, rule: AlarmRule) -> None:
    rule.delete()
    alarm_check_schedule_sync()


def _rule_saved(*, rule: AlarmRule) -> None:
    if rule.kind == AlarmRule.Kind.CONTROL and rule.limits_computed_at is None:
        alarm_rule_control_limits_refresh(rule=rule, now=timezone.now())
    alarm_check_schedule_sync()


def alarm_rule_control_limits_refresh(*, rule: AlarmRule, now: datetime) -> AlarmRule:
    """UCL and LCL of the metric over the rule's baseline (the `baseline_days` before `now`); None while
    the baseline has fewer than two values, and the rule then raises nothing."""
    points = metric_series(
        device_id=rule.device_id, metric=rule.metric, start=now - timedelta(days=rule.baseline_days), end=now
    )
    summary = series_summary(values=[value for _, value in points])
    rule.ucl, rule.lcl, rule.limits_computed_at = summary["ucl"], summary["lcl"], now
    AlarmRule.objects.filter(pk=rule.pk).update(ucl=rule.ucl, lcl=rule.lcl, limits_computed_at=now)
    # A queryset update fires no post_save: tell the processes' rule caches the limits changed.
    alarm_rules_changed(sender=AlarmRule)
    return rule


def alarm_event_acknowledge(*, event: AlarmEvent, username: str, note: str = "") -> AlarmEvent:
    """Record who has seen a raised event; the alarm stays active until its condition clears. A second
    acknowledgement keeps the first."""
    if event.acknowledged_at is None:
        event.acknowledged_at, event.acknowledged_by, event.note = timezone.now(), username, note
        event.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    return event


def alarm_check_schedule_sync() -> PeriodicTask | None:
    """The client's periodic check exists while it has an active rule (in the client's schema)."""
    schema = connection.schema_name
    name = f"{CHECK_SCHEDULE_PREFIX}{schema}"
    if not AlarmRule.objects.filter(active=True).exists():
        PeriodicTask.objects.filter(name=name).delete()
        return None
    interval = interval_schedule(seconds=settings.ALARM_CHECK_INTERVAL)
    task, _ = PeriodicTask.objects.update_or_create(
        name=name,
        defaults={
            "task": CHECK_TASK,
            "interval": interval,
            "headers": json.dumps({"_schema_name": schema}),
            "expire_seconds": settings.ALARM_CHECK_INTERVAL,
            "enabled": True,
            "description": "Offline devices, control limits and held-back alarm notifications",
        },
    )
    return task


def alarm_check_schedule_remove(*, schema: str) -> None:
    PeriodicTask.objects.filter(name=f"{CHECK_SCHEDULE_PREFIX}{schema}").delete()


def alarm_client_check(*, now: datetime | None = None) -> list[AlarmEvent]:
    """The periodic check of the current client: control limits older than a day are recomputed, devices
    silent for an offline rule's duration raise it, and raises the cooldown held back are sent when it
    is over and the alarm is still up. Returns the events raised."""
    now = now or timezone.now()
    stale = AlarmRule.objects.filter(active=True, kind=AlarmRule.Kind.CONTROL).exclude(
        limits_computed_at__gt=now - CONTROL_LIMITS_MAX_AGE
    )
    for rule in stale:
        alarm_rule_control_limits_refresh(rule=rule, now=now)
    with transaction.atomic():
        events = _offline_raise(now=now)
        _held_back_send(now=now)
    return events


def _offline_raise(*, now: datetime) -> list[AlarmEvent]:
    rules = list(AlarmRule.objects.filter(active=True, kind=AlarmRule.Kind.OFFLINE))
    if not rules:
        return []
    devices = {device.pk: device for device in Device.objects.filter(active=True)}
    pairs = sorted(
        ((rule, device_id) for rule in rules for device_id in devices if rule.device_id in (None, device_id)),
        key=lambda pair: (pair[0].pk, pair[1]),
    )
    states = alarm_states_lock(keys=[(rule.pk, device_id) for rule, device_id in pairs])
    # Read after taking the locks: a batch that was being stored meanwhile has committed by now.
    last_seen = readings_last_ts(device_ids=list(devices))
    walk = EventWalk(now=now)
    for rule, device_id in pairs:
        state = states[rule.pk, device_id]
        # The store, not the state, says when the device was last heard of (a bad future time in the
        # state would otherwise keep the device "online" forever).
        state.evaluated_at = last_seen.get(device_id, devices[device_id].created_at)
        offline_since = state.evaluated_at + timedelta(seconds=rule.duration_s)
        if not state.raised and offline_since <= now:
            walk.raise_(
                rule=rule, state=state, ts=offline_since, value=(now - state.evaluated_at).total_seconds()
            )
    return walk.save(states=list(states.values()))


def _held_back_send(*, now: datetime) -> None:
    from notifications.services import notifications_queue

    cooldown_over = now - timedelta(seconds=settings.ALARM_NOTIFY_COOLDOWN)
    states = list(
        AlarmState.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(raised=True, event__notified=False, notified_at__lte=cooldown_over)
        .order_by("rule_id", "device_id")
    )
    if not states:
        return
    for state in states:
        state.notified_at, state.event.notified = now, True
    AlarmState.objects.bulk_update(states, ["notified_at"])
    AlarmEvent.objects.bulk_update([state.event for state in states], ["notified"])
    notifications_queue(events=[state.event for state in states])
