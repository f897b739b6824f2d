"""GET /api/export: a device's readings as CSV (streamed) or Excel, one row per reading time.

Columns are `ts` (the client's local time with its UTC offset) then one per metric, in catalog order;
a reading without a metric leaves its cell empty. Values are written exactly (shortest round-trip text).
"""

import csv
import io
import tempfile
import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django_tenants.utils import tenant_context
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from openpyxl import Workbook
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation

from meters.catalog import CATALOG, metric_name_is_valid
from meters.models import Device, MetricLayout
from meters.readings.series import FAR_FUTURE, FAR_PAST
from pieng.api.params import IdField, TimeRangeQuery, query_validate
from pieng.api.tenancy import ClientScopedView
from tenants.models import Client

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CHUNK_ROWS = 5000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METRICS_LIST_PATTERN = r"^ *[a-z][a-z0-9_]* *(, *[a-z][a-z0-9_]* *)*,? *$"
CATALOG_ORDER = {name: position for position, name in enumerate(CATALOG)}

# Times travel as integer microseconds since the epoch: exact, and far cheaper than parsing timestamptz text.
ROWS = """
    SELECT (extract(epoch FROM ts) * 1000000)::bigint, layout_id, "values" FROM meters_reading
    WHERE device_id = %(device_id)s AND ts >= %(start)s AND ts < %(end)s
    ORDER BY ts LIMIT %(limit)s
"""
LAYOUTS_USED = """
    SELECT DISTINCT layout_id FROM meters_reading
    WHERE device_id = %(device_id)s AND ts >= %(start)s AND ts < %(end)s
"""


def readings_rows(
    *, device_id: int, start: datetime, end: datetime, chunk_rows: int = CHUNK_ROWS
) -> Iterator[tuple[int, int, list[float]]]:
    """(epoch microseconds, layout id, values) of the device's readings in [start, end), oldest first,
    fetched `chunk_rows` at a time so that a year of readings never sits in memory."""
    while True:
        params = {"device_id": device_id, "start": start, "end": end, "limit": chunk_rows}
        with connection.cursor() as cursor:
            cursor.execute(ROWS, params)
            rows = cursor.fetchall()
        yield from rows
        if len(rows) < chunk_rows:
            return
        start = EPOCH + timedelta(microseconds=rows[-1][0] + 1)


def export_columns(*, device_id: int, start: datetime, end: datetime) -> list[str]:
    """Every metric the device has in [start, end): catalog metrics in catalog order, then the others."""
    with connection.cursor() as cursor:
        cursor.execute(LAYOUTS_USED, {"device_id": device_id, "start": start, "end": end})
        layout_ids = [layout_id for (layout_id,) in cursor.fetchall()]
    names = {name for layout in MetricLayout.objects.filter(pk__in=layout_ids) for name in layout.names}
    return sorted(names, key=lambda name: (CATALOG_ORDER.get(name, len(CATALOG_ORDER)), name))


def export_table(
    *, device_id: int, columns: list[str], start: datetime, end: datetime, zone: zoneinfo.ZoneInfo
) -> Iterator[list]:
    """The rows of the export: [local ISO time, value or None per column]."""
    positions: dict[int, list[int | None]] = {}
    layouts = dict(MetricLayout.objects.values_list("pk", "names"))
    for micros, layout_id, values in readings_rows(device_id=device_id, start=start, end=end):
        if layout_id not in positions:
            if layout_id not in layouts:
                layouts = dict(MetricLayout.objects.values_list("pk", "names"))
            where = {name: index for index, name in enumerate(layouts[layout_id])}
            positions[layout_id] = [where.get(column) for column in columns]
        moment = (EPOCH + timedelta(microseconds=micros)).astimezone(zone)
        yield [
            moment.isoformat(),
            *(None if index is None else values[index] for index in positions[layout_id]),
        ]


def csv_chunks(*, client: Client, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """CSV text in chunks, read inside the client's schema: it is streamed after the view has returned."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    with tenant_context(client):
        for count, row in enumerate(rows, start=1):
            writer.writerow(row)
            if count % CHUNK_ROWS == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_file(*, header: list[str], rows: Iterable[list]):
    """An Excel workbook in a temporary file (write-only mode: rows go to disk as they come)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("readings")
    sheet.append(header)
    for count, row in enumerate(rows, start=1):
        if count > XLSX_MAX_ROWS:
            raise serializers.ValidationError(
                {"format": [f"An Excel sheet holds {XLSX_MAX_ROWS} rows; ask for csv or a shorter range."]}
            )
        sheet.append(row)
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file


class ExportQuery(TimeRangeQuery):
    device_id = IdField()
    format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")
    metrics = serializers.RegexField(
        METRICS_LIST_PATTERN,
        required=False,
        max_length=4000,
        help_text="Comma-separated metric names, in the column order wanted; default: every metric the "
        "device has in the range.",
    )

    def validate_metrics(self, value: str) -> list[str]:
        names = list(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
        bad = [name for name in names if not metric_name_is_valid(name)]
        if bad or not names:
            raise serializers.ValidationError(f"Not metric names: {', '.join(bad) or value!r}.")
        return names


class FirstRendererNegotiation(BaseContentNegotiation):
    """The export's media type is chosen by `format`, not by the Accept header."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(
    tags=["metrics"],
    parameters=[ExportQuery],
    responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX_TYPE): OpenApiTypes.BINARY},
)
class ExportView(ClientScopedView):
    """A file download of the device's readings in [start, end): CSV streamed, or an Excel workbook."""

    content_negotiation_class = FirstRendererNegotiation

    def get(self, request):
        query = query_validate(ExportQuery, request)
        device = get_object_or_404(Device, pk=query["device_id"])
        start, end = query.get("start", FAR_PAST), query.get("end", FAR_FUTURE)
        columns = query.get("metrics") or export_columns(device_id=device.pk, start=start, end=end)
        rows = export_table(
            device_id=device.pk,
            columns=columns,
            start=start,
            end=end,
            zone=zoneinfo.ZoneInfo(self.client.time_zone),
        )
        header = ["ts", *columns]
        filename = f"device-{device.pk}-readings.{query['format']}"
        if query["format"] == "xlsx":
            return FileResponse(
                xlsx_file(header=header, rows=rows),
                as_attachment=True,
                filename=filename,
                content_type=XLSX_TYPE,
            )
        response = StreamingHttpResponse(
            csv_chunks(client=self.client, header=header, rows=rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
