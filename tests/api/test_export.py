import csv
import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django_tenants.utils import tenant_context

from meters.readings.rows import readings_rows
from tests.helpers.devices import readings_store

START = datetime(2025, 3, 1, 12, tzinfo=UTC)
# The readings' day: without a range, an export holds the last 30 days only.
MARCH_1 = {"start": "2025-03-01T00:00:00Z", "end": "2025-03-02T00:00:00Z"}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_has_one_row_per_reading_time_and_a_column_per_metric(acme_api, acme, acme_device):
    readings_store(
        acme,
        acme_device,
        [
            (START, {"power": 1500.25, "voltage_l1": 127.1}),
            (START + timedelta(seconds=30), {"power": -20.0}),
        ],
    )

    response = acme_api.get("/api/export", {"device_id": acme_device.pk, **MARCH_1})

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert csv_rows(response) == [
        ["ts", "power", "voltage_l1"],
        ["2025-03-01T09:00:00-03:00", "1500.25", "127.1"],
        ["2025-03-01T09:00:30-03:00", "-20.0", ""],
    ]


def test_the_metrics_parameter_chooses_the_columns_and_their_order(acme_api, acme, acme_device):
    readings_store(acme, acme_device, [(START, {"power": 1.0, "voltage_l1": 127.0, "frequency": 60.0})])

    response = acme_api.get(
        "/api/export", {"device_id": acme_device.pk, "metrics": "voltage_l1,power", **MARCH_1}
    )

    assert csv_rows(response) == [
        ["ts", "voltage_l1", "power"],
        ["2025-03-01T09:00:00-03:00", "127.0", "1.0"],
    ]


@pytest.mark.parametrize("count", [6, 7])
def test_readings_are_fetched_chunk_after_chunk_each_exactly_once(acme, acme_device, count):
    readings_store(
        acme, acme_device, [(START + timedelta(microseconds=n), {"power": float(n)}) for n in range(count)]
    )

    with tenant_context(acme):
        rows = list(
            readings_rows(
                device_id=acme_device.pk, start=START, end=START + timedelta(seconds=1), chunk_rows=3
            )
        )

    assert [values for _, _, values in rows] == [[float(n)] for n in range(count)]


def test_xlsx_holds_the_same_table(acme_api, acme, acme_device):
    readings_store(acme, acme_device, [(START, {"power": 1500.25, "voltage_l1": 127.1})])

    response = acme_api.get("/api/export", {"device_id": acme_device.pk, "format": "xlsx", **MARCH_1})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["ts", "power", "voltage_l1"],
        ["2025-03-01T09:00:00-03:00", 1500.25, 127.1],
    ]


def test_an_unknown_format_is_refused(acme_api, acme_device):
    response = acme_api.get("/api/export", {"device_id": acme_device.pk, "format": "pdf"})

    assert response.status_code == 400
    assert "format" in response.json()


def test_a_bad_metric_name_is_refused(acme_api, acme_device):
    response = acme_api.get("/api/export", {"device_id": acme_device.pk, "metrics": "power,DROP TABLE"})

    assert "metrics" in response.json()
