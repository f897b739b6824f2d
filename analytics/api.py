"""Statistics, trend and energy per period, over the readings store.

The figures come from the pure functions of this app (stats, trend, energy, prodist); these views fetch the
series, apply the request's defaults and put times in the client's time zone.
"""

import zoneinfo
from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from analytics.selectors import (
    device_energy_periods,
    device_metric_summary,
    energy_range_default,
    metric_default_limits,
)
from analytics.trend import MAX_FORECAST_STEPS, series_linreg
from meters.api.fields import MetricField
from meters.models import Device
from meters.readings.series import metric_series
from pieng.api.params import BoundedTimeRangeQuery, IdField, TimeRangeQuery, query_validate
from pieng.api.tenancy import ClientScopedView

MAX_HORIZON_HOURS = 24 * 366
# How far one energy request may reach: the periods are computed on a 15-minute grid.
ENERGY_MAX_SPAN = {
    "hour": timedelta(days=400),
    "day": timedelta(days=20 * 366),
    "month": timedelta(days=20 * 366),
}


# The longest range one statistics or trend request may read, reading by reading.
STATISTICS_MAX_SPAN = timedelta(days=366)


class SummaryQuery(BoundedTimeRangeQuery):
    max_span = STATISTICS_MAX_SPAN
    device_id = IdField()
    metric = MetricField()
    lsl = serializers.FloatField(required=False, help_text="Lower limit; voltages default to PRODIST's.")
    usl = serializers.FloatField(required=False, help_text="Upper limit; voltages default to PRODIST's.")


def _nullable_floats(*names: str) -> dict:
    return {name: serializers.FloatField(allow_null=True) for name in names}


SummarySerializer = inline_serializer(
    "Summary",
    {
        "device_id": serializers.IntegerField(),
        "metric": serializers.CharField(),
        "count": serializers.IntegerField(),
        **_nullable_floats(
            "lsl",
            "usl",
            "mean",
            "std",
            "min",
            "max",
            "median",
            "p05",
            "p95",
            "sigma_within",
            "ucl",
            "lcl",
            "cp",
            "cpk",
            "pp",
            "ppk",
            "dpmo",
            "sigma_level",
        ),
    },
)


@extend_schema(tags=["metrics"], parameters=[SummaryQuery], responses=SummarySerializer)
class MetricSummaryView(ClientScopedView):
    """Statistics and Six Sigma figures of the metric in [start, end) (formulas: docs/api-contract.md §5); by
    default the last 30 days, at most 366 days.

    Limits not given default, for voltages, to the PRODIST adequate range of the device's nominal voltage.
    """

    def get(self, request):
        query = query_validate(SummaryQuery, request)
        device = get_object_or_404(Device, pk=query["device_id"])
        default_lsl, default_usl = metric_default_limits(
            metric=query["metric"], nominal_voltage=device.nominal_voltage
        )
        lsl, usl = query.get("lsl", default_lsl), query.get("usl", default_usl)
        if lsl is not None and usl is not None and lsl > usl:
            raise ValidationError({"lsl": [f"Is above usl ({usl:g})."]})
        summary = device_metric_summary(
            device=device,
            metric=query["metric"],
            start=query["start"],
            end=query["end"],
            lsl=lsl,
            usl=usl,
        )
        return Response(
            {"device_id": device.pk, "metric": query["metric"], "lsl": lsl, "usl": usl, **summary}
        )


class LinregQuery(BoundedTimeRangeQuery):
    max_span = STATISTICS_MAX_SPAN
    device_id = IdField()
    metric = MetricField()
    horizon_hours = serializers.FloatField(min_value=0, max_value=MAX_HORIZON_HOURS, default=24)
    step_hours = serializers.FloatField(
        required=False,
        min_value=1 / 60,
        help_text="Forecast step; default: a round step giving about 200 points.",
    )

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if "step_hours" in attrs and attrs["horizon_hours"] / attrs["step_hours"] > MAX_FORECAST_STEPS:
            raise ValidationError({"step_hours": [f"Gives more than {MAX_FORECAST_STEPS} forecast points."]})
        return attrs


POINT_FIELDS = {"ts": serializers.DateTimeField(), "value": serializers.FloatField()}
LinregSerializer = inline_serializer(
    "Linreg",
    {
        "device_id": serializers.IntegerField(),
        "metric": serializers.CharField(),
        "n": serializers.IntegerField(),
        "t0": serializers.DateTimeField(allow_null=True),
        **_nullable_floats("slope_per_hour", "intercept", "r2"),
        "forecast": inline_serializer("ForecastPoint", POINT_FIELDS, many=True),
    },
)


@extend_schema(tags=["metrics"], parameters=[LinregQuery], responses=LinregSerializer)
class MetricLinregView(ClientScopedView):
    """Least-squares line through the metric in [start, end) (by default the last 30 days, at most 366
    days), x in hours since t0 (the first point), and its forecast up to horizon_hours past the last point."""

    def get(self, request):
        query = query_validate(LinregQuery, request)
        device = get_object_or_404(Device, pk=query["device_id"])
        points = metric_series(
            device_id=device.pk, metric=query["metric"], start=query["start"], end=query["end"]
        )
        fit = series_linreg(
            points=points, horizon_hours=query["horizon_hours"], step_hours=query.get("step_hours")
        )
        zone = zoneinfo.ZoneInfo(self.client.time_zone)
        fit["t0"] = fit["t0"] and fit["t0"].astimezone(zone)
        fit["forecast"] = [
            {"ts": point["ts"].astimezone(zone), "value": point["value"]} for point in fit["forecast"]
        ]
        return Response({"device_id": device.pk, "metric": query["metric"], **fit})


class EnergyQuery(TimeRangeQuery):
    device_id = IdField()
    interval = serializers.ChoiceField(choices=["hour", "day", "month"], default="day")


EnergySerializer = inline_serializer(
    "EnergyPeriod",
    {
        "period": serializers.DateTimeField(help_text="The period's start, in the client's time zone."),
        "import_kwh": serializers.FloatField(),
        "export_kwh": serializers.FloatField(),
        "net_kwh": serializers.FloatField(),
    },
    many=True,
)


@extend_schema(tags=["metrics"], parameters=[EnergyQuery], responses=EnergySerializer)
class EnergyView(ClientScopedView):
    """Imported, exported and net kWh per calendar hour, day or month of the client's time zone.

    From the energy counters (interpolated at the period bounds; a counter that goes down is a meter reset),
    else from integrating power. Default range: today by hour, this month by day, this year by month.
    """

    def get(self, request):
        query = query_validate(EnergyQuery, request)
        device = get_object_or_404(Device, pk=query["device_id"])
        zone = zoneinfo.ZoneInfo(self.client.time_zone)
        interval = query["interval"]
        default_start, default_end = energy_range_default(interval=interval, zone=zone, now=timezone.now())
        start, end = query.get("start", default_start), query.get("end", default_end)
        if start >= end:
            raise ValidationError({"start": ["Must be before end."]})
        if end - start > ENERGY_MAX_SPAN[interval]:
            raise ValidationError(
                {"end": [f"At most {ENERGY_MAX_SPAN[interval].days} days after start by {interval}."]}
            )
        periods = device_energy_periods(
            device=device, interval=interval, time_zone=self.client.time_zone, start=start, end=end
        )
        return Response(periods)
