"""Gauges read from the database when /metrics is scraped: every client's devices online and offline, and
the outbox's backlog per kind."""

from django.db import connection
from prometheus_client.core import GaugeMetricFamily
from psycopg import sql

from outbox.selectors import outbox_backlog_per_kind
from tenants.models import Client

# Online: a reading within three poll intervals (the default interval is 30 s), as Device.online says.
DEVICES_OF_SCHEMA = sql.SQL(
    """SELECT {slug}, count(*) FILTER (WHERE online), count(*) FILTER (WHERE NOT online) FROM (
        SELECT coalesce(last_reading_at >= now() - make_interval(
            secs => 3 * coalesce((config->>'poll_interval')::int, 30)), false) AS online
        FROM {schema}.meters_device WHERE active) AS devices"""
)


class DevicesCollector:
    """pieng_devices{client, state}: one query for all clients (a UNION over their schemas)."""

    def describe(self):
        return [GaugeMetricFamily("pieng_devices", "Active devices by client and state.")]

    def collect(self):
        family = GaugeMetricFamily(
            "pieng_devices",
            "Active devices by client and state (online, offline).",
            labels=["client", "state"],
        )
        for slug, online, offline in devices_by_client():
            family.add_metric([slug, "online"], online)
            family.add_metric([slug, "offline"], offline)
        yield family


def devices_by_client() -> list[tuple[str, int, int]]:
    # /metrics is answered before the tenant middleware: the connection may still be in a client's schema.
    connection.set_schema_to_public()
    clients = list(Client.objects.clients().values_list("slug", "schema_name"))
    if not clients:
        return []
    query = sql.SQL(" UNION ALL ").join(
        DEVICES_OF_SCHEMA.format(slug=sql.Literal(slug), schema=sql.Identifier(schema))
        for slug, schema in clients
    )
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection))
        return cursor.fetchall()


class OutboxCollector:
    """pieng_outbox_backlog{kind} (undelivered messages, parked ones included) and
    pieng_outbox_oldest_seconds{kind} (age of the oldest of them): deliveries that wait."""

    def describe(self):
        return [
            GaugeMetricFamily("pieng_outbox_backlog", "Undelivered outbox messages by kind."),
            GaugeMetricFamily("pieng_outbox_oldest_seconds", "Age of the oldest undelivered message."),
        ]

    def collect(self):
        backlog = GaugeMetricFamily(
            "pieng_outbox_backlog", "Undelivered outbox messages by kind (parked included).", labels=["kind"]
        )
        oldest = GaugeMetricFamily(
            "pieng_outbox_oldest_seconds", "Age of the oldest undelivered outbox message.", labels=["kind"]
        )
        connection.set_schema_to_public()
        for kind, figures in outbox_backlog_per_kind().items():
            backlog.add_metric([kind], figures["backlog"])
            oldest.add_metric([kind], figures["oldest_s"])
        yield backlog
        yield oldest
