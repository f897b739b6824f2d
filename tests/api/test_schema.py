import re

from tenants.models import User
from tests.helpers.api import ACME, api_client

PATHS = {
    "/api/token",
    "/api/token/refresh",
    "/api/clients",
    "/api/clients/{id}",
    "/api/devices",
    "/api/devices/{id}",
    "/api/devices/{id}/read",
    "/api/devices/{id}/latest",
    "/api/devices/{id}/token",
    "/api/ingest",
    "/api/metrics",
    "/api/metrics/summary",
    "/api/metrics/linreg",
    "/api/energy",
    "/api/export",
    "/api/alarms/rules",
    "/api/alarms/rules/{id}",
    "/api/alarms/events",
    "/api/alarms/events/{id}/ack",
    "/api/notifications/channels",
    "/api/notifications/channels/{id}",
    "/api/public-links",
    "/api/public-links/{id}",
    "/api/links",
    "/api/links/{id}",
}


def signed_in_browser():
    client = api_client(host=ACME)
    client.force_login(User.objects.get(username="acme-user"))
    return client


def test_the_schema_is_openapi_3_and_lists_every_endpoint(acme_api):
    response = acme_api.get("/api/schema")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS


def test_the_schema_documents_the_refusals(acme_api):
    paths = acme_api.get("/api/schema").json()["paths"]

    assert {"400", "401", "403", "429"} <= set(paths["/api/ingest"]["post"]["responses"])
    assert {"401", "403", "404"} <= set(paths["/api/devices/{id}"]["get"]["responses"])
    assert {"409", "502", "503", "504"} <= set(paths["/api/devices/{id}/read"]["post"]["responses"])


def test_the_docs_load_swagger_ui_from_our_own_static_files(acme):
    page = signed_in_browser().get("/api/docs").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert all(asset.startswith("/static/") for asset in assets)
    assert "cdn" not in page.lower()


def test_the_swagger_ui_assets_are_served(acme):
    client = signed_in_browser()

    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        response = client.get(f"/static/vendor/swagger-ui/{asset}")
        assert response.status_code == 200
        b"".join(response.streaming_content)
