import operator
from collections.abc import Callable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from meters.models import Device

# `value OP threshold` written as `FLIPPED[OP](threshold, value)`.
FLIPPED = {
    ">": operator.lt,
    "<": operator.gt,
    ">=": operator.le,
    "<=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


class Severity(models.TextChoices):
    INFO = "info", _("info")
    WARNING = "warning", _("warning")
    CRITICAL = "critical", _("critical")


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class AlarmRule(models.Model):
    """What raises an alarm, for one device or, without a device, for every device of the client.

    - threshold: `metric operator threshold`, true for `duration_s` of reading time before it raises, and
      cleared only once the value is back past the threshold by `hysteresis`;
    - offline: no reading from the device for `duration_s` (checked periodically, cleared by a reading);
    - control: the metric outside the control limits (UCL/LCL) of its own last `baseline_days`, recomputed
      daily and kept in `ucl`/`lcl`.
    """

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("threshold")
        OFFLINE = "offline", _("offline")
        CONTROL = "control", _("control limits")

    class Operator(models.TextChoices):
        GT = ">", ">"
        LT = "<", "<"
        GE = ">=", ">="
        LE = "<=", "<="
        EQ = "==", "=="
        NE = "!=", "!="

    name = models.CharField(_("name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.THRESHOLD)
    metric = models.CharField(_("metric"), max_length=64, blank=True)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    duration_s = models.PositiveIntegerField(_("duration (s)"), default=0)
    hysteresis = models.FloatField(_("hysteresis"), default=0.0)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.WARNING
    )
    baseline_days = models.PositiveSmallIntegerField(_("baseline (days)"), default=7)
    ucl = models.FloatField(_("upper control limit"), null=True, blank=True, editable=False)
    lcl = models.FloatField(_("lower control limit"), null=True, blank=True, editable=False)
    limits_computed_at = models.DateTimeField(_("limits computed at"), null=True, blank=True, editable=False)
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alarm_rules",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")
        ordering = ["id"]

    def __str__(self) -> str:
        if self.name:
            return self.name
        if self.kind == self.Kind.OFFLINE:
            return _("offline for %(seconds)d s") % {"seconds": self.duration_s}
        if self.kind == self.Kind.CONTROL:
            return _("%(metric)s outside its control limits") % {"metric": self.metric}
        return f"{self.metric} {self.operator} {self.threshold:g}"

    def clean(self) -> None:
        """Each kind names what it needs; what a kind does not use is emptied."""
        errors = {}
        if self.kind == self.Kind.THRESHOLD:
            for name in ("metric", "operator", "threshold"):
                if getattr(self, name) in (None, ""):
                    errors[name] = _("Required for a threshold rule.")
        elif self.kind == self.Kind.CONTROL:
            if not self.metric:
                errors["metric"] = _("Required for a control rule.")
            if self.device_id is None:
                errors["device"] = _("A control rule watches one device: its limits are the device's own.")
            self.operator, self.threshold = "", None
        else:
            if not self.duration_s:
                errors["duration_s"] = _("An offline rule needs the silence it waits for, in seconds.")
            self.metric, self.operator, self.threshold, self.hysteresis = "", "", None, 0.0
        if errors:
            raise ValidationError(errors)

    def violation_test(self) -> Callable[[float], bool]:
        """value -> whether it violates the rule; built once per batch, called per reading."""
        if self.kind == self.Kind.CONTROL:
            low, high = self.lcl, self.ucl
            return (lambda value: not low <= value <= high) if high is not None else (lambda value: False)
        # `value > T` is `T < value`: the threshold goes first so that the test is a C-level partial.
        return partial(FLIPPED[self.operator], self.threshold)

    def clearance_test(self) -> Callable[[float], bool]:
        """value -> whether a raised alarm clears: the value is back past the threshold by the hysteresis."""
        margin = self.hysteresis
        if self.kind == self.Kind.CONTROL:
            if self.ucl is None:  # no baseline any more: nothing to hold the alarm up
                return lambda value: True
            low, high = self.lcl + margin, self.ucl - margin
            return lambda value: low <= value <= high
        if self.operator in (">", ">="):
            violated = partial(FLIPPED[self.operator], self.threshold - margin)
        elif self.operator in ("<", "<="):
            violated = partial(FLIPPED[self.operator], self.threshold + margin)
        elif self.operator == "==":
            threshold = self.threshold
            return lambda value: abs(value - threshold) > margin
        else:
            return partial(operator.eq, self.threshold)
        return lambda value: not violated(value)

    def threshold_for(self, value: float) -> float | None:
        """The limit a value is judged against: the threshold, or the control limit on its side."""
        if self.kind == self.Kind.CONTROL:
            return self.ucl if self.ucl is not None and value > self.ucl else self.lcl
        return self.threshold


class AlarmEvent(models.Model):
    """A rule raised or cleared on a device. A raised event is active until its episode clears
    (`cleared_at`); acknowledging it records who saw it, and does not clear it."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("raised")
        CLEARED = "cleared", _("cleared")

    rule = models.ForeignKey(
        AlarmRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="events"
    )
    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("metric"), max_length=64, blank=True)
    # Offline events have no value.
    value = models.FloatField(_("value"), null=True)
    threshold = models.FloatField(_("threshold"), null=True)
    ts = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.WARNING
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    # Whether the channels were told (False: held back by the rule's notification cooldown).
    notified = models.BooleanField(_("notified"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # The user's name, not a key: users live in the platform's schema, events in the client's.
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering = ["-ts", "-id"]
        indexes = [
            models.Index(fields=["device", "ts"]),
            models.Index(fields=["rule", "device", "-ts"]),
            models.Index(
                fields=["-ts"], condition=models.Q(kind="raised", cleared_at=None), name="alarms_event_active"
            ),
        ]

    def __str__(self) -> str:
        return _("%(rule)s %(kind)s at %(time)s") % {
            "rule": self.rule,
            "kind": self.get_kind_display(),
            "time": f"{self.ts:%Y-%m-%d %H:%M}",
        }

    @property
    def is_active(self) -> bool:
        return self.kind == self.Kind.RAISED and self.cleared_at is None


class AlarmState(models.Model):
    """Where a rule stands on a device: the row that makes 'one active event per rule and device' hold.

    Evaluation locks the rows it needs (SELECT ... FOR UPDATE, in key order), so two batches of the same
    device evaluated at once raise a rule once. `evaluated_at` is the newest reading time evaluated: an older
    reading arriving later (a gateway's backlog, a replayed batch) does not flip the state back; null until
    the first evaluation. `pending_since` is when the condition became true while not yet raised (a rule
    with a duration); `event` the raised event of the current episode; `notified_at` when the channels
    were last told of a raise (the cooldown counts from it).
    """

    rule = models.ForeignKey(AlarmRule, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    raised = models.BooleanField(default=False)
    evaluated_at = models.DateTimeField(null=True)
    pending_since = models.DateTimeField(null=True)
    event = models.ForeignKey(AlarmEvent, null=True, on_delete=models.SET_NULL, related_name="+")
    notified_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "device"], name="alarms_state_rule_device_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rule} on device {self.device_id}: {'raised' if self.raised else 'clear'}"
