"""GET /api/metrics: one metric's series of one device, newest first."""

import zoneinfo

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from meters.api.fields import MetricField
from meters.models import Device
from meters.readings.series import metric_series
from pieng.api.params import IdField, TimeRangeQuery, query_validate
from pieng.api.tenancy import ClientScopedView

MAX_LIMIT = 100_000


class SeriesQuery(TimeRangeQuery):
    device_id = IdField()
    metric = MetricField()
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=1000)


POINT_FIELDS = {"ts": serializers.DateTimeField(), "value": serializers.FloatField()}
SeriesSerializer = inline_serializer(
    "Series",
    {
        "device_id": serializers.IntegerField(),
        "metric": serializers.CharField(),
        "points": inline_serializer("Point", POINT_FIELDS, many=True),
    },
)


@extend_schema(tags=["metrics"], parameters=[SeriesQuery], responses=SeriesSerializer)
class MetricSeriesView(ClientScopedView):
    """The newest `limit` points in [start, end), newest first; times in the client's time zone."""

    def get(self, request):
        query = query_validate(SeriesQuery, request)
        device = get_object_or_404(Device, pk=query["device_id"])
        points = metric_series(
            device_id=device.pk,
            metric=query["metric"],
            start=query.get("start"),
            end=query.get("end"),
            limit=query["limit"],
            newest_first=True,
        )
        zone = zoneinfo.ZoneInfo(self.client.time_zone)
        return Response(
            {
                "device_id": device.pk,
                "metric": query["metric"],
                "points": [{"ts": ts.astimezone(zone), "value": value} for ts, value in points],
            }
        )
