"""Public dashboards: `/p/<token>/` on a client's domain shows, without signing in, the client's devices
with their latest values and its consumption and injection today and this month; `/p/<token>/data` is the
same as JSON. Read-only, no links into the portal, admin or API, never indexed, rate-limited per address.
An unknown or revoked token, or another client's, is a 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.figures import consumption_injection_figure
from analytics.selectors import site_energy_balances
from meters.catalog import metric_label, metric_unit
from meters.selectors import device_list_with_latest, metrics_grouped
from pieng.api.throttles import PublicPageThrottle
from portal.forms import period_of
from tenants.current import request_client
from tenants.selectors import public_link_for_token

NOINDEX = "noindex, nofollow"


@extend_schema(exclude=True)
class PublicView(APIView):
    """Anonymous on purpose: a signed-in session is not looked at, so the page is the same for everyone.
    DRF views for its throttling; pages, not API endpoints, so they stay out of the API schema."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicPageThrottle]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        client = request_client(request)
        if client is None or public_link_for_token(client=client, token=kwargs["token"]) is None:
            raise Http404

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Robots-Tag"] = NOINDEX
        response["Cache-Control"] = "no-store"
        return response


def _site_energy() -> dict:
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    periods = {
        "today": period_of(kind="day", day=today, zone=zone),
        "month": period_of(kind="month", day=today, zone=zone),
    }
    balances = site_energy_balances(
        tz=timezone.get_current_timezone_name(),
        ranges=[(period.interval, period.start, period.end) for period in periods.values()],
    )
    return {key: (period, balance) for (key, period), balance in zip(periods.items(), balances, strict=True)}


class PublicPageView(PublicView):
    def get(self, request, token: str):
        energy = _site_energy()
        context = {
            "devices": [
                {"status": status, "groups": metrics_grouped(values=status.latest)}
                for status in device_list_with_latest()
                if status.device.active
            ],
            "today": energy["today"][1]["totals"],
            "month": energy["month"][1]["totals"],
            "has_generation": energy["today"][1]["has_generation"],
            "figures": {
                key: consumption_injection_figure(rows=balance["rows"], interval=period.interval)
                for key, (period, balance) in energy.items()
            },
        }
        return render(request, "portal/public.html", context)


def _energy_rows(rows: list[dict]) -> list[dict]:
    return [
        {"period": row["period"], "import_kwh": row["import_kwh"], "export_kwh": row["export_kwh"]}
        for row in rows
    ]


class PublicDataView(PublicView):
    def get(self, request, token: str):
        energy = _site_energy()
        devices = [
            {
                "name": status.device.name,
                "role": status.device.role,
                "latest_at": status.latest_at,
                "latest": status.latest,
                "units": {name: metric_unit(name) for name in status.latest},
                "labels": {name: metric_label(name)[0] for name in status.latest},
            }
            for status in device_list_with_latest()
            if status.device.active
        ]
        return Response(
            {
                "client": request_client(request).name,
                "devices": devices,
                "today": _energy_rows(energy["today"][1]["rows"]),
                "month": _energy_rows(energy["month"][1]["rows"]),
            }
        )
