"""An Excel export that would hold more rows than EXPORT_XLSX_MAX_ROWS is refused (400 naming `format`)
after counting, before a workbook is built; CSV, streamed, still serves the range."""

from datetime import UTC, datetime, timedelta

from django.test import override_settings

from meters.api import export
from tests.helpers.devices import readings_store

START = datetime(2025, 3, 1, 12, tzinfo=UTC)
MARCH_1 = {"start": "2025-03-01T00:00:00Z", "end": "2025-03-02T00:00:00Z"}


@override_settings(EXPORT_XLSX_MAX_ROWS=3)
def test_an_xlsx_export_over_its_limit_is_refused_before_building(acme_api, acme, acme_device, monkeypatch):
    readings_store(acme, acme_device, [(START + timedelta(minutes=n), {"power": float(n)}) for n in range(4)])
    built = []
    monkeypatch.setattr(export, "xlsx_file", lambda **kwargs: built.append(kwargs))

    response = acme_api.get("/api/export", {"device_id": acme_device.pk, "format": "xlsx", **MARCH_1})

    assert response.status_code == 400
    assert "at most 3 rows" in response.json()["format"][0]
    assert built == []
    assert (
        acme_api.get("/api/export", {"device_id": acme_device.pk, "format": "csv", **MARCH_1}).status_code
        == 200
    )


@override_settings(EXPORT_XLSX_MAX_ROWS=3)
def test_an_xlsx_export_at_its_limit_is_built(acme_api, acme, acme_device):
    readings_store(acme, acme_device, [(START + timedelta(minutes=n), {"power": float(n)}) for n in range(3)])

    response = acme_api.get("/api/export", {"device_id": acme_device.pk, "format": "xlsx", **MARCH_1})

    assert response.status_code == 200
