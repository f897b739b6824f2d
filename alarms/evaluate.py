"""Alarm evaluation of every stored reading, polled or pushed: a receiver of the one write path's
`reading_batch_stored` signal.

It runs inside the ingest transaction, so a refused batch raises nothing. Per batch: the active rules are
loaded once, the (rule, device) states the batch touches are locked in key order, and each device's readings
are walked in time order. A rule raises once when it becomes true and clears once when it becomes false
again; in between it stays quiet. Users of the client with an e-mail address are told after the commit.
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, ngettext

from alarms.models import AlarmEvent, AlarmRule, AlarmState
from alarms.selectors import alarm_rules_active
from meters.models import Device
from meters.polling.timings import poll_phase
from meters.readings.ingest import ReadingIn
from tenants.current import current_client
from tenants.models import User


def alarm_readings_evaluate(*, readings: Sequence[ReadingIn], **signal) -> None:
    with poll_phase("alarms"):
        _readings_evaluate(readings)


def _readings_evaluate(readings: Sequence[ReadingIn]) -> None:
    rules = alarm_rules_active()
    if not rules:
        return
    by_device: dict[int, list[ReadingIn]] = defaultdict(list)
    for reading in readings:
        by_device[reading.device_id].append(reading)
    metrics_of = {
        device_id: set().union(*(r.metrics for r in batch)) for device_id, batch in by_device.items()
    }
    pairs = sorted(
        (
            (rule, device_id)
            for rule in rules
            for device_id in by_device
            if rule.device_id in (None, device_id) and rule.metric in metrics_of[device_id]
        ),
        key=lambda pair: (pair[0].pk, pair[1]),
    )
    if not pairs:
        return
    states = _states_lock(keys=[(rule.pk, device_id) for rule, device_id in pairs])
    for batch in by_device.values():
        batch.sort(key=lambda reading: reading.ts)
    events = []
    for rule, device_id in pairs:
        events += _rule_walk(rule=rule, state=states[rule.pk, device_id], readings=by_device[device_id])
    AlarmState.objects.bulk_update(states.values(), ["raised", "evaluated_at"])
    if events:
        AlarmEvent.objects.bulk_create(events)
        _notify_on_commit(events=events)


def _states_lock(*, keys: list[tuple[int, int]]) -> dict[tuple[int, int], AlarmState]:
    """The states of `keys`, created if new, locked until the transaction ends (in key order: no deadlock)."""
    AlarmState.objects.bulk_create(
        [AlarmState(rule_id=rule_id, device_id=device_id) for rule_id, device_id in keys],
        ignore_conflicts=True,
    )
    wanted = set(keys)
    locked = (
        AlarmState.objects.select_for_update()
        .filter(
            rule_id__in={rule_id for rule_id, _ in keys}, device_id__in={device_id for _, device_id in keys}
        )
        .order_by("rule_id", "device_id")
    )
    return {
        (state.rule_id, state.device_id): state
        for state in locked
        if (state.rule_id, state.device_id) in wanted
    }


def _rule_walk(*, rule: AlarmRule, state: AlarmState, readings: list[ReadingIn]) -> list[AlarmEvent]:
    """The events of one rule over one device's readings (in time order), updating its state."""
    events = []
    for reading in readings:
        value = reading.metrics.get(rule.metric)
        if value is None or (state.evaluated_at is not None and reading.ts <= state.evaluated_at):
            continue
        state.evaluated_at = reading.ts
        violated = rule.is_violated_by(value)
        if violated != state.raised:
            state.raised = violated
            kind = AlarmEvent.Kind.RAISED if violated else AlarmEvent.Kind.CLEARED
            events.append(
                AlarmEvent(
                    rule=rule,
                    device_id=state.device_id,
                    metric=rule.metric,
                    value=value,
                    ts=reading.ts,
                    kind=kind,
                )
            )
    return events


def _notify_on_commit(*, events: list[AlarmEvent]) -> None:
    client = current_client()
    zone = zoneinfo.ZoneInfo(client.time_zone)
    names = dict(
        Device.objects.filter(pk__in={event.device_id for event in events}).values_list("pk", "name")
    )
    # The recipients' languages are unknown: mails speak the platform's, whoever sent the readings.
    with translation.override(settings.LANGUAGE_CODE):
        kind_width = max(len(str(label)) for label in AlarmEvent.Kind.labels)
        lines = [
            gettext("%(time)s  %(kind)s %(device)s: %(rule)s (value %(value)s)")
            % {
                "time": f"{event.ts.astimezone(zone):%Y-%m-%d %H:%M:%S %z}",
                "kind": event.get_kind_display().upper().ljust(kind_width),
                "device": names.get(event.device_id, "?"),
                "rule": event.rule,
                "value": f"{event.value:g}",
            }
            for event in events
        ]
    # robust: a mail server that is down is logged; the readings and events are already committed.
    transaction.on_commit(
        partial(alarm_events_mail, client_id=client.pk, client_name=client.name, lines=lines), robust=True
    )


def alarm_events_mail(*, client_id: int, client_name: str, lines: list[str]) -> None:
    """One message per user of the client who has an e-mail address. (SMS is not offered.)"""
    recipients = (
        User.objects.filter(client_id=client_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "[Pieng] %(client)s: %(count)d alarm event",
            "[Pieng] %(client)s: %(count)d alarm events",
            len(lines),
        ) % {"client": client_name, "count": len(lines)}
    body = "\n".join(lines) + "\n"
    send_mass_mail([(subject, body, None, [address]) for address in recipients])
