"""The HTTP API (docs/api-contract.md §5), mounted at API_PREFIX on the platform domain and on every
client's."""

from django.urls import path, re_path, register_converter
from django.views.generic import RedirectView
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from alarms.api import AlarmEventAcknowledgeView, AlarmEventListView, AlarmRuleDetailView, AlarmRuleListView
from analytics.api import EnergyView, MetricLinregView, MetricSummaryView
from forwarding.api import ForwardView, LinkDetailView, LinkListView
from meters.api.devices import (
    DeviceDetailView,
    DeviceLatestView,
    DeviceListView,
    DeviceReadView,
    DeviceTokenView,
)
from meters.api.export import ExportView
from meters.api.ingest import IngestView
from meters.api.metrics import MetricSeriesView
from notifications.api import ChannelDetailView, ChannelListView
from pieng.api.auth import TokenRefreshView, TokenView
from pieng.api.errors import api_not_found
from pieng.api.pages import page_login_required
from tenants.api import ClientDetailView, ClientListView, PublicLinkDetailView, PublicLinkListView


class IdConverter:
    """Ids that fit a bigint column: longer digit strings are no object's id (404, not a database error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document: JSON unless YAML is asked for (`?format=yaml` or the Accept header)."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


urlpatterns = [
    path("token", TokenView.as_view(), name="api-token"),
    path("token/refresh", TokenRefreshView.as_view(), name="api-token-refresh"),
    path("clients", ClientListView.as_view(), name="api-clients"),
    path("clients/<id:pk>", ClientDetailView.as_view(), name="api-client"),
    path("links", LinkListView.as_view(), name="api-links"),
    path("links/<id:pk>", LinkDetailView.as_view(), name="api-link"),
    path("forward", ForwardView.as_view(), name="api-forward"),
    path("devices", DeviceListView.as_view(), name="api-devices"),
    path("devices/<id:pk>", DeviceDetailView.as_view(), name="api-device"),
    path("devices/<id:pk>/read", DeviceReadView.as_view(), name="api-device-read"),
    path("devices/<id:pk>/latest", DeviceLatestView.as_view(), name="api-device-latest"),
    path("devices/<id:pk>/token", DeviceTokenView.as_view(), name="api-device-token"),
    path("ingest", IngestView.as_view(), name="api-ingest"),
    path("metrics", MetricSeriesView.as_view(), name="api-metrics"),
    path("metrics/summary", MetricSummaryView.as_view(), name="api-metrics-summary"),
    path("metrics/linreg", MetricLinregView.as_view(), name="api-metrics-linreg"),
    path("energy", EnergyView.as_view(), name="api-energy"),
    path("export", ExportView.as_view(), name="api-export"),
    path("alarms/rules", AlarmRuleListView.as_view(), name="api-alarm-rules"),
    path("alarms/rules/<id:pk>", AlarmRuleDetailView.as_view(), name="api-alarm-rule"),
    path("alarms/events", AlarmEventListView.as_view(), name="api-alarm-events"),
    path("alarms/events/<id:pk>/ack", AlarmEventAcknowledgeView.as_view(), name="api-alarm-event-ack"),
    path("notifications/channels", ChannelListView.as_view(), name="api-notification-channels"),
    path("notifications/channels/<id:pk>", ChannelDetailView.as_view(), name="api-notification-channel"),
    path("public-links", PublicLinkListView.as_view(), name="api-public-links"),
    path("public-links/<id:pk>", PublicLinkDetailView.as_view(), name="api-public-link"),
    # The original platform's dashboard address: the dashboard lives in the portal now.
    path(
        "dashboard",
        RedirectView.as_view(pattern_name="portal:dashboard", query_string=True),
        name="api-dashboard",
    ),
    path("schema", SchemaView.as_view(), name="api-schema"),
    path("docs", page_login_required(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    re_path(r"", api_not_found),
]
