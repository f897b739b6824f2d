import re

from tests.helpers.api import ACME, PLATFORM, api_client, signed_in_client


def test_the_dashboard_offers_the_clients_devices(acme, acme_device):
    response = signed_in_client(host=ACME, username="acme-user").get("/dashboard/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{acme_device.pk}">{acme_device.name}</option>' in page


def test_the_dashboard_loads_plotly_from_our_own_static_files(acme, acme_device):
    page = signed_in_client(host=ACME, username="acme-user").get("/dashboard/").content.decode()

    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/vendor/plotly.min.js" in scripts
    assert all(script.startswith("/static/") for script in scripts)


def test_plotly_is_served_locally(acme):
    response = signed_in_client(host=ACME, username="acme-user").get("/static/vendor/plotly.min.js")

    assert response.status_code == 200
    assert b"plotly.js" in b"".join(response.streaming_content)[:200]


def test_staff_on_the_platform_domain_pick_a_client_first(acme):
    response = signed_in_client(host=PLATFORM, username="staff").get("/dashboard/")

    assert response.status_code == 200
    assert f'href="?client_id={acme.pk}"' in response.content.decode()


def test_staff_see_the_dashboard_of_the_client_they_picked(acme, acme_device):
    response = signed_in_client(host=PLATFORM, username="staff").get("/dashboard/", {"client_id": acme.pk})

    assert response.status_code == 200
    assert acme_device.name in response.content.decode()
    assert f'data-client-query="client_id={acme.pk}"' in response.content.decode()


def test_a_signed_out_browser_on_the_platform_domain_signs_in_at_the_back_office(db):
    response = api_client(host=PLATFORM).get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_original_dashboard_address_redirects_to_the_portal_keeping_the_query(acme):
    response = signed_in_client(host=PLATFORM, username="staff").get("/api/dashboard", {"client_id": acme.pk})

    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/?client_id={acme.pk}"
