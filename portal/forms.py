import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alarms.models import AlarmRule
from meters.catalog import metric_name_is_valid
from meters.models import Device
from tenants.current import request_client


class ClientAuthenticationForm(AuthenticationForm):
    """Refuses, at the door, a user of another client: their password is right, but not here."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.can_reach(request_client(self.request)):
            raise ValidationError(_("This account does not belong to this client."), code="wrong_client")


PERIOD_INTERVALS = {"day": "hour", "month": "day", "year": "month", "custom": "day"}
CUSTOM_MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """A calendar range of the client's time zone and the interval its charts are split in."""

    kind: str
    interval: str
    start: datetime
    end: datetime
    first_day: date
    last_day: date


def _midnight(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def period_of(*, kind: str, day: date, last_day: date | None = None, zone: zoneinfo.ZoneInfo) -> Period:
    """The day, month or year holding `day`; or the custom days from `day` through `last_day`."""
    if kind == "day":
        first, following = day, day + timedelta(days=1)
    elif kind == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
    elif kind == "year":
        first, following = day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1)
    else:
        first, following = day, (last_day or day) + timedelta(days=1)
    return Period(
        kind=kind,
        interval=PERIOD_INTERVALS[kind],
        start=_midnight(first, zone),
        end=_midnight(following, zone),
        first_day=first,
        last_day=following - timedelta(days=1),
    )


class PeriodForm(forms.Form):
    """The overview's period picker; every choice lives in the query string, so a link shows the same."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("day", _("Day")), ("month", _("Month")), ("year", _("Year")), ("custom", _("Custom"))],
        required=False,
    )
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise ValidationError(_("A custom period needs a start and an end date."))
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days >= CUSTOM_MAX_DAYS:
                self.add_error(
                    "end", _("A custom period spans at most %(days)s days.") % {"days": CUSTOM_MAX_DAYS}
                )
        return data

    def chosen_period(self, *, today: date, zone: zoneinfo.ZoneInfo) -> Period:
        """The chosen period, or today when nothing (or nothing valid) was chosen."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("period"):
            return period_of(kind="day", day=today, zone=zone)
        data = self.cleaned_data
        if data["period"] == "custom":
            return period_of(kind="custom", day=data["start"], last_day=data["end"], zone=zone)
        return period_of(kind=data["period"], day=data.get("date") or today, zone=zone)


class RangeForm(forms.Form):
    """A device page's days: from, to (inclusive); default today."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        elif start and end and (end - start).days >= CUSTOM_MAX_DAYS:
            self.add_error(
                "end", _("A custom period spans at most %(days)s days.") % {"days": CUSTOM_MAX_DAYS}
            )
        return data

    def chosen_period(self, *, today: date, zone: zoneinfo.ZoneInfo) -> Period:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or data.get("end") or today
        return period_of(kind="custom", day=start, last_day=data.get("end") or start, zone=zone)


class AlarmRuleForm(forms.ModelForm):
    """Every editable field of a rule, so fields added to the model appear here as they are."""

    class Meta:
        model = AlarmRule
        fields = [
            field.name
            for field in AlarmRule._meta.get_fields()
            if field.concrete and field.editable and not field.auto_created
        ]

    def clean_metric(self) -> str:
        metric = self.cleaned_data["metric"]
        if not metric_name_is_valid(metric):
            raise ValidationError(_("Use lower-case letters, digits and underscores (e.g. voltage_l1)."))
        return metric


class AlarmHistoryForm(forms.Form):
    device = forms.ModelChoiceField(label=_("Device"), queryset=Device.objects.all(), required=False)
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=AlarmRule.objects.all(), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
