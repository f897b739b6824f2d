"""Alarm evaluation of every stored reading, polled or pushed: a receiver of the one write path's
`reading_batch_stored` signal, inside the ingest transaction. A refused batch raises nothing, and what a
batch raises is committed with it.

Per batch: the active rules are loaded once, the (rule, device) states the batch touches are locked in
key order, and each device's readings are walked in reading-time order, so a late batch is judged by when
its readings were taken, not by when it arrived. A reading at the newest evaluated time (a correction of
it) is judged again; older ones are not. A rule raises once per episode and clears once; events the
channels should hear of are written to the outbox in the same transaction (notifications.services).
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.dispatch import Signal
from django.utils import timezone

from alarms.models import AlarmEvent, AlarmRule, AlarmState
from alarms.selectors import alarm_rules_active
from meters.polling.timings import poll_phase
from meters.readings.ingest import ReadingIn

# Sent inside the ingest transaction with `events=` (the AlarmEvents just stored).
alarm_events_created = Signal()

# A state evaluated further ahead of the clock than the ingest accepts came from a bad timestamp: it must
# not hold every later reading off (they would all look older than it).
FUTURE_TOLERANCE = timedelta(minutes=5)


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
            if rule.device_id in (None, device_id)
            and (rule.kind == AlarmRule.Kind.OFFLINE or rule.metric in metrics_of[device_id])
        ),
        key=lambda pair: (pair[0].pk, pair[1]),
    )
    if not pairs:
        return
    states = alarm_states_lock(keys=[(rule.pk, device_id) for rule, device_id in pairs])
    for batch in by_device.values():
        batch.sort(key=lambda reading: reading.ts)
    series: dict[tuple[int, str], Series] = {}
    walk = EventWalk(now=timezone.now())
    for rule, device_id in pairs:
        state = states[rule.pk, device_id]
        if rule.kind == AlarmRule.Kind.OFFLINE:
            walk.offline(rule=rule, state=state, readings=by_device[device_id])
            continue
        key = (device_id, rule.metric)
        if key not in series:
            series[key] = Series.of(readings=by_device[device_id], metric=rule.metric)
        walk.values(rule=rule, state=state, series=series[key])
    walk.save(states=list(states.values()))


@dataclass(frozen=True)
class Series:
    """One metric of one device's batch in time order, as parallel lists (the walk's hot loop)."""

    times: list[datetime]
    values: list[float]

    @classmethod
    def of(cls, *, readings: list[ReadingIn], metric: str) -> "Series":
        pairs = [(r.ts, r.metrics[metric]) for r in readings if metric in r.metrics]
        return cls(times=[ts for ts, _ in pairs], values=[value for _, value in pairs])


def alarm_states_lock(*, keys: list[tuple[int, int]]) -> dict[tuple[int, int], AlarmState]:
    """The states of `keys`, created if new, locked until the transaction ends (in key order: no deadlock)."""
    states = _states_select_for_update(keys=keys)
    missing = set(keys) - states.keys()
    if missing:
        AlarmState.objects.bulk_create(
            [AlarmState(rule_id=rule_id, device_id=device_id) for rule_id, device_id in sorted(missing)],
            ignore_conflicts=True,
        )
        states |= _states_select_for_update(keys=sorted(missing))
    return states


def _states_select_for_update(*, keys: list[tuple[int, int]]) -> dict[tuple[int, int], AlarmState]:
    wanted = set(keys)
    locked = (
        AlarmState.objects.select_for_update(of=("self",))
        .select_related("event")
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


# Django's bulk_update builds a CASE expression per field and row in Python: a quarter of a second for
# fifty states on a loaded machine, more than the rest of an ingest. One UPDATE from arrays instead.
STATES_SAVE = """
    UPDATE alarms_alarmstate s
    SET raised = v.raised, evaluated_at = v.evaluated_at, pending_since = v.pending_since,
        event_id = v.event_id, notified_at = v.notified_at
    FROM unnest(%s::bigint[], %s::boolean[], %s::timestamptz[], %s::timestamptz[], %s::bigint[],
                %s::timestamptz[]) AS v(id, raised, evaluated_at, pending_since, event_id, notified_at)
    WHERE s.id = v.id
"""


def _states_save(*, states: list[AlarmState]) -> None:
    # A raised event was saved after its state took it: its id is known only now.
    rows = [
        (s.pk, s.raised, s.evaluated_at, s.pending_since, s.event.pk if s.event else None, s.notified_at)
        for s in states
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.execute(STATES_SAVE, [list(column) for column in zip(*rows, strict=True)])


class EventWalk:
    """The events of rules walked over readings, with the states they move; `save` writes them all.

    Notification cooldown (settings.ALARM_NOTIFY_COOLDOWN, per rule and device): a raise is sent unless
    another raise was sent less than the cooldown ago (the periodic check sends it later if the alarm is
    still up); a clear is sent when its raise was.
    """

    def __init__(self, *, now: datetime):
        self.now = now
        self.events: list[AlarmEvent] = []
        self.closed: list[AlarmEvent] = []

    def values(self, *, rule: AlarmRule, state: AlarmState, series: Series) -> None:
        """Threshold and control rules: the metric's value against the rule, reading by reading, from the
        newest time already evaluated on (that one included: a correction is judged again)."""
        self._heal(state)
        first = bisect_left(series.times, state.evaluated_at) if state.evaluated_at is not None else 0
        if first == len(series.times):
            return
        violated = rule.violation_test()
        values = series.values[first:]
        state.evaluated_at = series.times[-1]
        cleared = rule.clearance_test()
        # Nearly always nothing happens: a quiet rule, or a raised one that stays so, is settled without a
        # Python-level loop.
        if not state.raised and not any(map(violated, values)):
            state.pending_since = None
            return
        if state.raised and not any(map(cleared, values)):
            return
        duration = timedelta(seconds=rule.duration_s)
        for ts, value in zip(series.times[first:], values, strict=True):
            if state.raised:
                if cleared(value):
                    self.clear(rule=rule, state=state, ts=ts, value=value)
            elif violated(value):
                if state.pending_since is None:
                    state.pending_since = ts
                if ts - state.pending_since >= duration:
                    self.raise_(rule=rule, state=state, ts=ts, value=value)
            else:
                state.pending_since = None

    def offline(self, *, rule: AlarmRule, state: AlarmState, readings: list[ReadingIn]) -> None:
        """A reading recent enough that the periodic check would not call the device offline clears it."""
        self._heal(state)
        newest = readings[-1].ts
        if state.raised and newest > self.now - timedelta(seconds=rule.duration_s):
            silence = (newest - state.evaluated_at).total_seconds() if state.evaluated_at else None
            self.clear(rule=rule, state=state, ts=newest, value=silence)
        if state.evaluated_at is None or newest > state.evaluated_at:
            state.evaluated_at = newest

    def raise_(self, *, rule: AlarmRule, state: AlarmState, ts: datetime, value: float | None) -> None:
        cooldown = timedelta(seconds=settings.ALARM_NOTIFY_COOLDOWN)
        notified = state.notified_at is None or self.now - state.notified_at >= cooldown
        if notified:
            state.notified_at = self.now
        event = self._event(rule=rule, state=state, ts=ts, value=value, kind=AlarmEvent.Kind.RAISED)
        event.notified = notified
        state.raised, state.event, state.pending_since = True, event, None

    def clear(self, *, rule: AlarmRule, state: AlarmState, ts: datetime, value: float | None) -> None:
        raised = state.event
        event = self._event(rule=rule, state=state, ts=ts, value=value, kind=AlarmEvent.Kind.CLEARED)
        if raised is not None:
            event.notified = raised.notified
            raised.cleared_at = ts
            if raised.pk is not None:
                self.closed.append(raised)
        state.raised, state.event, state.pending_since = False, None, None

    def save(self, *, states: list[AlarmState]) -> list[AlarmEvent]:
        if self.events:
            AlarmEvent.objects.bulk_create(self.events)
            alarm_events_created.send(sender=AlarmEvent, events=self.events)
        if self.closed:
            AlarmEvent.objects.bulk_update(self.closed, ["cleared_at"])
        _states_save(states=states)
        if self.events:
            from notifications.services import notifications_queue

            notifications_queue(events=[event for event in self.events if event.notified])
        return self.events

    def _event(
        self, *, rule: AlarmRule, state: AlarmState, ts: datetime, value: float | None, kind: str
    ) -> AlarmEvent:
        if rule.kind == AlarmRule.Kind.OFFLINE:
            threshold = float(rule.duration_s)
        else:
            threshold = rule.threshold_for(value)
        event = AlarmEvent(
            rule=rule,
            device_id=state.device_id,
            metric=rule.metric,
            value=value,
            threshold=threshold,
            ts=ts,
            kind=kind,
            severity=rule.severity,
        )
        self.events.append(event)
        return event

    def _heal(self, state: AlarmState) -> None:
        horizon = self.now + FUTURE_TOLERANCE
        if state.evaluated_at is not None and state.evaluated_at > horizon:
            state.evaluated_at = None
        if state.pending_since is not None and state.pending_since > horizon:
            state.pending_since = None
