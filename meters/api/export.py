"""GET /api/export: a device's readings as CSV (streamed) or Excel, one row per reading time.

Columns are `ts` (the client's local time with its UTC offset) then one per metric, in catalog order;
a reading without a metric leaves its cell empty. Values are written exactly (shortest round-trip text).
"""

import csv
import io
import tempfile
import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django_tenants.utils import tenant_context
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from openpyxl import Workbook
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation

from meters.catalog import metric_name_is_valid
from meters.models import Device
from meters.readings.rows import readings_count_capped, readings_metric_names, readings_table
from pieng.api.params import BoundedTimeRangeQuery, IdField, query_validate
from pieng.api.tenancy import ClientScopedView
from tenants.models import Client

CSV_CHUNK_ROWS = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METRICS_LIST_PATTERN = r"^ *[a-z][a-z0-9_]* *(, *[a-z][a-z0-9_]* *)*,? *$"


def csv_chunks(*, client: Client, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """CSV text in chunks, read inside the client's schema: it is streamed after the view has returned."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    with tenant_context(client):
        for count, row in enumerate(rows, start=1):
            writer.writerow(row)
            if count % CSV_CHUNK_ROWS == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_file(*, header: list[str], rows: Iterable[list]):
    """An Excel workbook in a temporary file (write-only mode: rows go to disk as they come)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("readings")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file


class ExportQuery(BoundedTimeRangeQuery):
    max_span = timedelta(days=366)
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
    """A file download of the device's readings in [start, end) (by default the last 30 days, at most 366
    days): CSV streamed, or an Excel workbook (refused past EXPORT_XLSX_MAX_ROWS rows)."""

    content_negotiation_class = FirstRendererNegotiation

    def get(self, request):
        query = query_validate(ExportQuery, request)
        device = get_object_or_404(Device, pk=query["device_id"])
        start, end = query["start"], query["end"]
        columns = query.get("metrics") or readings_metric_names(device_id=device.pk, start=start, end=end)
        rows = readings_table(
            device_id=device.pk,
            columns=columns,
            start=start,
            end=end,
            zone=zoneinfo.ZoneInfo(self.client.time_zone),
        )
        header = ["ts", *columns]
        filename = f"device-{device.pk}-readings.{query['format']}"
        if query["format"] == "xlsx":
            # Counted before anything is built: a refused workbook costs a bounded count, not a build.
            most = settings.EXPORT_XLSX_MAX_ROWS
            if readings_count_capped(device_id=device.pk, start=start, end=end, cap=most + 1) > most:
                refusal = f"An Excel export holds at most {most} rows; ask for csv or a shorter range."
                raise serializers.ValidationError({"format": [refusal]})
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
