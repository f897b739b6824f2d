"""The client portal's pages: site overview, device, alarms, monthly report (signed-in users of the domain),
and the original's dashboard.

Views are thin: the figures come from analytics.selectors and the figure builders, writes go through the
services. Times are in the client's time zone (activated by ClientTimeZoneMiddleware).
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError

from alarms.models import AlarmRule
from alarms.selectors import alarm_active_events, alarm_history
from alarms.services import alarm_rule_create, alarm_rule_delete, alarm_rule_update
from analytics.figures import (
    consumption_injection_figure,
    generation_figure,
    power_figure,
    voltage_figure,
)
from analytics.selectors import (
    device_chart_points,
    device_status_summary,
    site_energy_balances,
    site_live_power,
    site_month_report,
)
from analytics.site import PHASE_VOLTAGES
from meters.catalog import CATALOG
from meters.models import Device
from meters.selectors import device_latest, device_list_with_latest, metrics_grouped
from pieng.api.pages import page_login_required
from pieng.api.tenancy import client_resolve
from portal.forms import AlarmHistoryForm, AlarmRuleForm, Period, PeriodForm, RangeForm, period_of
from tenants.current import request_client
from tenants.models import Client

HISTORY_PAGE_SIZE = 50
MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")


def _today():
    return timezone.localdate()


def _balances(*periods: Period) -> list[dict]:
    ranges = [(period.interval, period.start, period.end) for period in periods]
    return site_energy_balances(tz=timezone.get_current_timezone_name(), ranges=ranges)


def _energy_figures(*, balance: dict, interval: str) -> dict:
    figures = {"energy": consumption_injection_figure(rows=balance["rows"], interval=interval)}
    if balance["has_generation"]:
        figures["generation"] = generation_figure(rows=balance["rows"], interval=interval)
    return figures


@login_required
def overview(request):
    zone = timezone.get_current_timezone()
    form = PeriodForm(request.GET or None)
    chosen = form.chosen_period(today=_today(), zone=zone)
    today = period_of(kind="day", day=_today(), zone=zone)
    month = period_of(kind="month", day=_today(), zone=zone)
    statuses = device_list_with_latest()
    periods = list(dict.fromkeys([today, month, chosen]))
    balances = dict(zip(periods, _balances(*periods), strict=True))
    today_balance, chosen_balance = balances[today], balances[chosen]
    context = {
        "form": form,
        "chosen": chosen,
        "today": today_balance["totals"],
        "month": balances[month]["totals"],
        "has_generation": today_balance["has_generation"],
        "figures": _energy_figures(balance=chosen_balance, interval=chosen.interval),
        "chosen_totals": chosen_balance["totals"],
        "live": site_live_power(statuses=statuses),
        "status": device_status_summary(devices=[status.device for status in statuses]),
        "active_alarms": alarm_active_events().count(),
        "devices": statuses,
    }
    return render(request, "portal/overview.html", context)


@login_required
def device_detail(request, pk: int):
    device = get_object_or_404(Device, pk=pk)
    form = RangeForm(request.GET or None)
    period = form.chosen_period(today=_today(), zone=timezone.get_current_timezone())
    latest_at, values = device_latest(device=device)
    # Long periods chart each bucket's mean, read from the rollups, rather than a year of readings.
    zone_name = timezone.get_current_timezone_name()
    chart = {"device": device, "start": period.start, "end": period.end, "time_zone": zone_name}
    power = device_chart_points(**chart, metric="power")
    voltages = {metric: device_chart_points(**chart, metric=metric) for metric in PHASE_VOLTAGES}
    voltages = {metric: points for metric, points in voltages.items() if points}
    figures = {}
    if power:
        figures["power"] = power_figure(points=power)
    if voltages:
        labelled = {f"L{metric[-1]}": points for metric, points in voltages.items()}
        figures["voltage"] = voltage_figure(series=labelled, nominal=device.nominal_voltage)
    export_range = {"device_id": device.pk, "start": period.start.isoformat(), "end": period.end.isoformat()}
    context = {
        "device": device,
        "form": form,
        "period": period,
        "latest_at": latest_at,
        "groups": metrics_grouped(values=values),
        "figures": figures,
        "export_range": export_range,
    }
    return render(request, "portal/device.html", context)


def _client_staff_only(request) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


@login_required
def alarms(request):
    history_form = AlarmHistoryForm(request.GET or None)
    filters = history_form.cleaned_data if history_form.is_bound and history_form.is_valid() else {}
    zone = timezone.get_current_timezone()
    end = filters.get("end")
    history = alarm_history(
        device_id=filters["device"].pk if filters.get("device") else None,
        rule_id=filters["rule"].pk if filters.get("rule") else None,
        start=datetime(*filters["start"].timetuple()[:3], tzinfo=zone) if filters.get("start") else None,
        end=datetime(*end.timetuple()[:3], tzinfo=zone) + timedelta(days=1) if end else None,
    )
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "active": list(alarm_active_events()),
        "history_form": history_form,
        "history": page,
        "history_query": query.urlencode(),
        "rules": AlarmRule.objects.select_related("device"),
        "can_edit": request.user.is_staff,
    }
    return render(request, "portal/alarms.html", context)


@login_required
def alarm_rule_form(request, pk: int | None = None):
    _client_staff_only(request)
    rule = get_object_or_404(AlarmRule, pk=pk) if pk is not None else None
    form = AlarmRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            if rule is None:
                alarm_rule_create(fields=form.cleaned_data)
            else:
                alarm_rule_update(rule=rule, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(reverse("portal:alarms") + "#rules")
    return render(request, "portal/alarm_rule_form.html", {"form": form, "rule": rule})


@login_required
@require_POST
def alarm_rule_toggle(request, pk: int):
    _client_staff_only(request)
    rule = get_object_or_404(AlarmRule, pk=pk)
    alarm_rule_update(rule=rule, fields={"active": not rule.active})
    return redirect(reverse("portal:alarms") + "#rules")


@login_required
@require_POST
def alarm_rule_remove(request, pk: int):
    _client_staff_only(request)
    alarm_rule_delete(rule=get_object_or_404(AlarmRule, pk=pk))
    return redirect(reverse("portal:alarms") + "#rules")


@login_required
def report_current(request):
    return redirect("portal:report", month=f"{_today():%Y-%m}")


@login_required
def report(request, month: str):
    match = MONTH.match(month)
    if match is None:
        raise Http404
    year, number = int(match["year"]), int(match["month"])
    data = site_month_report(client=request_client(request), year=year, month=number)
    first = data["start"].date()
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    context = {
        "report": data,
        "month": first,
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
        "figures": _energy_figures(balance=data, interval="day"),
        "client_settings": request_client(request),
    }
    return render(request, "portal/report.html", context)


@page_login_required
def dashboard(request):
    """The original's dashboard: pick a device, see its live values and charts (plotly.js, served locally).

    Signed-in users of the domain; on the platform domain staff pick the client first (`?client_id=`).
    """
    client_id = request.GET.get("client_id")
    if request_client(request) is None and client_id is None:
        clients = Client.objects.clients()
        return render(request, "portal/dashboard_clients.html", {"clients": clients})
    try:
        client = client_resolve(request_client=request_client(request), client_id=client_id)
    except NotFound as error:
        raise Http404 from error
    except ApiValidationError:
        return HttpResponseBadRequest("client_id must be a client's id")
    with tenant_context(client):
        devices = list(Device.objects.order_by("name", "id"))
    units = {name: metric.unit for name, metric in CATALOG.items()}
    return render(
        request,
        "portal/dashboard.html",
        {
            "dashboard_client": client,
            "devices": devices,
            "units": units,
            "api_prefix": f"/{settings.API_PREFIX}",
            "client_query": "" if request_client(request) else f"client_id={client.pk}",
            "selected_device": request.GET.get("device", ""),
        },
    )
