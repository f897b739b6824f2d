"""GET /api/metrics: one metric's series of one device, newest first: every reading, or per bucket of a
resolution (count, mean, min, max) for long ranges."""

import zoneinfo
from datetime import timedelta

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from analytics.selectors import device_metric_groups, series_resolution_choose
from meters.api.fields import MetricField
from meters.models import Device
from meters.readings.series import metric_series
from pieng.api.params import IdField, TimeRangeQuery, query_validate
from pieng.api.tenancy import ClientScopedView

MAX_LIMIT = 100_000
RAW_LIMIT_DEFAULT = 1000
RESOLUTIONS = ["raw", "15m", "1h", "1d"]
BUCKET_WIDTHS = {"15m": timedelta(minutes=15), "1h": timedelta(hours=1), "1d": timedelta(days=1)}


class SeriesQuery(TimeRangeQuery):
    device_id = IdField()
    metric = MetricField()
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        required=False,
        help_text=f"Most points returned, the newest; default {RAW_LIMIT_DEFAULT} readings, every bucket.",
    )
    resolution = serializers.ChoiceField(
        choices=RESOLUTIONS,
        required=False,
        help_text="raw: every reading; 15m, 1h, 1d: per bucket (hours and days of the client's time zone), "
        f"with start and end at most {MAX_LIMIT:,} buckets apart. "
        "Default: from the range, raw up to 2 days, then 15m up to 31 days, 1h up to 125, else 1d.",
    )

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        width = BUCKET_WIDTHS.get(attrs.get("resolution"))
        if width is None:
            return attrs
        # Every bucket of the range is computed before `limit` keeps the newest: the range is bounded.
        for bound in ("start", "end"):
            if bound not in attrs:
                raise serializers.ValidationError(
                    {bound: [f"Required with resolution {attrs['resolution']}."]}
                )
        if attrs["end"] - attrs["start"] > width * MAX_LIMIT:
            raise serializers.ValidationError(
                {
                    "resolution": [
                        f"Gives more than {MAX_LIMIT:,} buckets from start to end; choose a coarser one."
                    ]
                }
            )
        return attrs


POINT_FIELDS = {
    "ts": serializers.DateTimeField(help_text="The reading's time, or its bucket's start."),
    "value": serializers.FloatField(required=False, help_text="raw: the reading's value."),
    "count": serializers.IntegerField(required=False, help_text="Buckets: how many readings."),
    "mean": serializers.FloatField(required=False),
    "min": serializers.FloatField(required=False),
    "max": serializers.FloatField(required=False),
}
SeriesSerializer = inline_serializer(
    "Series",
    {
        "device_id": serializers.IntegerField(),
        "metric": serializers.CharField(),
        "resolution": serializers.ChoiceField(
            choices=RESOLUTIONS[1:], required=False, help_text="Only when the points are buckets."
        ),
        "points": inline_serializer("Point", POINT_FIELDS, many=True),
    },
)


@extend_schema(tags=["metrics"], parameters=[SeriesQuery], responses=SeriesSerializer)
class MetricSeriesView(ClientScopedView):
    """The newest `limit` points in [start, end), newest first; times in the client's time zone."""

    def get(self, request):
        query = query_validate(SeriesQuery, request)
        device = get_object_or_404(Device, pk=query["device_id"])
        start, end = query.get("start"), query.get("end")
        resolution = query.get("resolution") or series_resolution_choose(start=start, end=end)
        zone = zoneinfo.ZoneInfo(self.client.time_zone)
        if resolution == "raw":
            points = metric_series(
                device_id=device.pk,
                metric=query["metric"],
                start=start,
                end=end,
                limit=query.get("limit", RAW_LIMIT_DEFAULT),
                newest_first=True,
            )
            body = [{"ts": ts.astimezone(zone), "value": value} for ts, value in points]
            # Raw responses are what they were before resolutions existed.
            return Response({"device_id": device.pk, "metric": query["metric"], "points": body})
        groups = device_metric_groups(
            device=device,
            metric=query["metric"],
            start=start,
            end=end,
            resolution=resolution,
            time_zone=self.client.time_zone,
        )
        body = [{**group, "ts": group["ts"].astimezone(zone)} for group in groups[::-1][: query.get("limit")]]
        return Response(
            {"device_id": device.pk, "metric": query["metric"], "resolution": resolution, "points": body}
        )
