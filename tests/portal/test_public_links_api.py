"""Public links: the client's staff (or platform staff naming the client) make, list and revoke them; the
token is in the URL shown once and nowhere after."""

from tenants.services import user_create
from tests.helpers.api import ACME, PLATFORM, api_client
from tests.helpers.personas import PASSWORD


def test_the_clients_staff_makes_a_link_on_its_domain_and_the_list_never_shows_the_token(acme):
    api = api_client(host=ACME, username="acme-user")

    created = api.post("/api/public-links", {"name": "Vizinhos"}, format="json")
    listed = api.get("/api/public-links")

    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "Vizinhos"
    assert body["url"].startswith("http://acme.localhost/p/") and body["url"].endswith("/")
    token = body["url"].split("/p/")[1].strip("/")
    assert len(token) >= 40
    assert listed.status_code == 200
    assert [link["name"] for link in listed.json()["results"]] == ["Vizinhos"]
    assert token not in listed.content.decode()


def test_platform_staff_make_a_link_for_the_client_they_name(acme, globex):
    api = api_client(host=PLATFORM, username="staff")

    created = api.post("/api/public-links", {"name": "Globex TV", "client_id": globex.pk}, format="json")
    unnamed = api.post("/api/public-links", {"name": "x"}, format="json")

    assert created.status_code == 201
    assert created.json()["url"].startswith("http://globex.localhost/p/")
    assert unnamed.status_code == 400 and "client_id" in unnamed.json()


def test_a_plain_user_or_nobody_cannot_make_a_link(acme):
    user_create(username="acme-viewer", password=PASSWORD, client=acme, is_staff=False)

    plain = api_client(host=ACME, username="acme-viewer").post(
        "/api/public-links", {"name": "x"}, format="json"
    )
    anonymous = api_client(host=ACME).post("/api/public-links", {"name": "x"}, format="json")

    assert plain.status_code == 403
    assert anonymous.status_code in (401, 403)


def test_a_link_without_a_name_is_refused_naming_the_field(acme):
    response = api_client(host=ACME, username="acme-user").post(
        "/api/public-links", {"name": ""}, format="json"
    )

    assert response.status_code == 400
    assert "name" in response.json()


def test_another_clients_link_cannot_be_seen_or_revoked(acme, globex):
    globex_link = api_client(host="globex.localhost", username="globex-user").post(
        "/api/public-links", {"name": "Globex"}, format="json"
    )
    acme_api = api_client(host=ACME, username="acme-user")

    link_id = globex_link.json()["id"]

    assert acme_api.get(f"/api/public-links/{link_id}").status_code == 404
    assert acme_api.delete(f"/api/public-links/{link_id}").status_code == 404
    assert acme_api.get("/api/public-links").json()["results"] == []
