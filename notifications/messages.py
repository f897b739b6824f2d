"""What an alarm event says: the text of e-mails, Telegram and SMS (in the platform's language, pt-BR
by default, with the client's local time), and the webhook's JSON body."""

import json
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext

from alarms.models import AlarmEvent, AlarmRule
from meters.catalog import metric_unit
from meters.models import Device


@dataclass(frozen=True)
class EventContext:
    """An event with what a message names: its rule, its device and the client's slug, name and zone."""

    event: AlarmEvent
    rule: AlarmRule
    device: Device
    client_slug: str
    client_name: str
    time_zone: str


def _number(value: float, metric: str) -> str:
    unit = metric_unit(metric)
    rounded = round(value, 3)
    # 5000.0 reads "5.000", not "5.000,0".
    shown = int(rounded) if rounded.is_integer() else rounded
    text = formats.number_format(shown, use_l10n=True, force_grouping=True)
    return f"{text} {unit}" if unit and unit != "-" else text


def _local_time(context: EventContext, moment) -> str:
    local = moment.astimezone(zoneinfo.ZoneInfo(context.time_zone))
    return formats.date_format(local, "SHORT_DATETIME_FORMAT") + local.strftime(":%S")


def notification_text(*, context: EventContext) -> tuple[str, str]:
    """(subject, text) of one event, in the platform's language."""
    event, rule = context.event, context.rule
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "severity": event.get_severity_display().upper(),
            "device": context.device.name,
            "rule": str(rule),
            "time": _local_time(context, event.ts),
            "client": context.client_name,
        }
        raised = event.kind == AlarmEvent.Kind.RAISED
        if rule.kind == AlarmRule.Kind.OFFLINE:
            values["since"] = _local_time(context, event.ts - timedelta(seconds=rule.duration_s))
            text = (
                gettext("%(severity)s alarm on %(device)s: no reading since %(since)s. Rule: %(rule)s.")
                if raised
                else gettext("Alarm cleared on %(device)s: reading again at %(time)s. Rule: %(rule)s.")
            )
        else:
            values |= {
                "metric": event.metric,
                "value": _number(event.value, event.metric),
                "operator": _operator(rule=rule, event=event),
                "threshold": _number(event.threshold, event.metric) if event.threshold is not None else "?",
            }
            text = (
                gettext(
                    "%(severity)s alarm on %(device)s: %(metric)s = %(value)s (limit %(operator)s "
                    "%(threshold)s) at %(time)s. Rule: %(rule)s."
                )
                if raised
                else gettext(
                    "Alarm cleared on %(device)s: %(metric)s = %(value)s (limit %(operator)s %(threshold)s) "
                    "at %(time)s. Rule: %(rule)s."
                )
            )
        subject = (
            gettext("[Pieng] %(client)s: %(severity)s alarm on %(device)s")
            if raised
            else gettext("[Pieng] %(client)s: alarm cleared on %(device)s")
        )
        return subject % values, text % values


def _operator(*, rule: AlarmRule, event: AlarmEvent) -> str:
    """A control rule's limit is the one on the value's side: above UCL or below LCL."""
    if rule.kind == AlarmRule.Kind.CONTROL:
        return ">" if event.threshold is not None and event.value > event.threshold else "<"
    return rule.operator


def webhook_body(*, context: EventContext, delivery_id: str) -> bytes:
    """The webhook's JSON, exactly the bytes that are signed and sent."""
    event, rule, device = context.event, context.rule, context.device
    payload = {
        "delivery_id": delivery_id,
        "event": event.kind,
        "severity": event.severity,
        "client": context.client_slug,
        "device": {"id": device.pk, "uuid": str(device.uuid), "name": device.name},
        "rule": {"id": rule.pk, "name": str(rule), "kind": rule.kind},
        "metric": event.metric or None,
        "value": event.value,
        "threshold": event.threshold,
        "ts": event.ts.astimezone(zoneinfo.ZoneInfo(context.time_zone)).isoformat(),
    }
    return json.dumps(payload).encode()
