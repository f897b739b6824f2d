"""The portal's pages in headless Chromium, on a phone (390 px) and a desk (1280 px): nothing wider than the
screen, no console error, Portuguese labels and units, charts drawn; the numbers agree with the API."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.helpers.personas import PASSWORD
from tests.portal.site_data import acme_committed_site

WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    with acme_committed_site(django_db_blocker) as data:
        yield data


@pytest.fixture(scope="module")
def portal(browser, web_server, site):
    """One signed-in Brazilian browser for the whole module; console errors are collected."""
    base = web_server.format(host="acme.localhost")
    context = browser.new_context(locale="pt-BR", timezone_id="America/Sao_Paulo", accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "acme-user")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    yield page, base, errors
    context.close()


def _visit_at_both_widths(page, url: str, errors: list, *, charts: int) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        if charts:
            page.wait_for_function(
                f"document.querySelectorAll('.chart.js-plotly-plot').length == {charts}", timeout=30_000
            )
        overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert overflow[0] <= overflow[1], f"{url} at {width} px: {overflow[0]} px wide"
    assert errors == []


@pytest.mark.browser
def test_every_page_fits_a_phone_and_a_desk_in_portuguese(portal, site):
    page, base, errors = portal
    month = f"{timezone.localdate():%Y-%m}"

    _visit_at_both_widths(page, f"{base}/", errors, charts=2)
    assert "Consumo da rede" in page.inner_text("[data-balance=today]")
    assert "Autossuficiência" in page.inner_text("[data-balance=today]")

    _visit_at_both_widths(page, f"{base}/devices/{site['grid'].pk}/", errors, charts=2)
    assert page.inner_text("[data-metric=voltage_l1]").split() == ["Tensão", "L1", "127,4", "V"]
    assert page.inner_text("[data-metric=current_l1]").split() == ["Corrente", "L1", "6,25", "A"]
    assert "Tensões" in page.inner_text("#latest")

    _visit_at_both_widths(page, f"{base}/alarms/", errors, charts=0)
    assert "Sobretensão" in page.inner_text("#rules")

    _visit_at_both_widths(page, f"{base}/reports/{month}/", errors, charts=2)
    assert "Conformidade de tensão (PRODIST)" in page.inner_text("#conformity")


@pytest.mark.browser
def test_the_overview_totals_equal_the_energy_api_for_the_same_day(portal, site):
    page, base, _errors = portal
    page.goto(f"{base}/")
    start = site["midnight"]
    end = start + timedelta(days=1)

    shown = {
        direction: float(page.get_attribute(f"[data-balance=today] [data-kwh={direction}]", "data-raw"))
        for direction in ("import", "export")
    }
    rows = page.evaluate(
        "async (query) => (await fetch('/api/energy?' + new URLSearchParams(query))).json()",
        {
            "device_id": str(site["grid"].pk),
            "interval": "hour",
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )

    assert shown["import"] == pytest.approx(sum(row["import_kwh"] for row in rows), abs=1e-6)
    assert shown["export"] == pytest.approx(sum(row["export_kwh"] for row in rows), abs=1e-6)
    assert shown["import"] > 0


@pytest.mark.browser
def test_the_export_buttons_download_the_readings_of_the_range(portal, site):
    page, base, _errors = portal
    page.goto(f"{base}/devices/{site['grid'].pk}/")
    expected = len(site["grid_readings"])

    with page.expect_download() as csv_download:
        page.click("[data-export=csv]")
    rows = list(csv.reader(io.StringIO(csv_download.value.path().read_text(encoding="utf-8"))))
    with page.expect_download() as xlsx_download:
        page.click("[data-export=xlsx]")
    sheet = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True).active

    assert rows[0][0] == "ts" and "voltage_l1" in rows[0]
    assert len(rows) - 1 == expected
    assert sum(1 for _row in sheet.iter_rows()) - 1 == expected
