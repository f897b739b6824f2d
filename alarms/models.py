import operator

from django.db import models
from django.utils.translation import gettext_lazy as _

from meters.models import Device

OPERATORS = {
    ">": operator.gt,
    "<": operator.lt,
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


class AlarmRule(models.Model):
    """`metric operator threshold`, for one device or, without a device, for every device of the client."""

    class Operator(models.TextChoices):
        GT = ">", ">"
        LT = "<", "<"
        GE = ">=", ">="
        LE = "<=", "<="
        EQ = "==", "=="
        NE = "!=", "!="

    name = models.CharField(_("name"), max_length=120, blank=True)
    metric = models.CharField(_("metric"), max_length=64)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    threshold = models.FloatField(_("threshold"))
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
        return self.name or f"{self.metric} {self.operator} {self.threshold:g}"

    def is_violated_by(self, value: float) -> bool:
        return OPERATORS[self.operator](value, self.threshold)


class AlarmEvent(models.Model):
    class Kind(models.TextChoices):
        RAISED = "raised", _("raised")
        CLEARED = "cleared", _("cleared")

    rule = models.ForeignKey(
        AlarmRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="events"
    )
    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("metric"), max_length=64)
    value = models.FloatField(_("value"))
    ts = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering = ["-ts", "-id"]
        indexes = [models.Index(fields=["device", "ts"]), models.Index(fields=["rule", "device", "-ts"])]

    def __str__(self) -> str:
        return _("%(rule)s %(kind)s at %(time)s") % {
            "rule": self.rule,
            "kind": self.get_kind_display(),
            "time": f"{self.ts:%Y-%m-%d %H:%M}",
        }


class AlarmState(models.Model):
    """Whether a rule is raised for a device: the row that makes 'one active event per rule and device' hold.

    Evaluation locks the rows it needs (SELECT ... FOR UPDATE, in key order), so two batches of the same
    device evaluated at once raise a rule once. `evaluated_at` is the newest reading time evaluated: an older
    reading arriving later (a gateway's backlog, a replayed batch) does not flip the state back; null until
    the first evaluation.
    """

    rule = models.ForeignKey(AlarmRule, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    raised = models.BooleanField(default=False)
    evaluated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "device"], name="alarms_state_rule_device_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rule} on device {self.device_id}: {'raised' if self.raised else 'clear'}"
