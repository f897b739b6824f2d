from forwarding.models import Link
from forwarding.services import link_for_token
from pieng.api.tokens import secret_token_hash
from tests.helpers.api import PLATFORM, api_client
from tests.helpers.forwarding import forward_body


def test_staff_make_a_link_whose_token_is_shown_once_and_stored_hashed(staff_api):
    response = staff_api.post("/api/links", {"name": "Usina Norte"})

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Usina Norte"
    assert body["token"].startswith("pml_")
    assert Link.objects.get(pk=body["id"]).token_hash == secret_token_hash(body["token"])
    listed = staff_api.get("/api/links").json()
    assert [link["id"] for link in listed["results"]] == [body["id"]]
    assert "token" not in listed["results"][0]


def test_a_revoked_links_forwards_get_401(staff_api):
    made = staff_api.post("/api/links", {"name": "Usina Norte"}).json()

    assert staff_api.delete(f"/api/links/{made['id']}").status_code == 204

    assert link_for_token(token=made["token"]) is None
    master = api_client(host=PLATFORM)
    master.credentials(HTTP_AUTHORIZATION=f"Bearer {made['token']}")
    assert master.post("/api/forward", forward_body(), format="json").status_code == 401


def test_links_are_for_platform_staff_on_the_platform_domain_only(acme_api, staff_api):
    assert acme_api.post("/api/links", {"name": "x"}).status_code == 403
    assert api_client(host="acme.localhost", username="staff").get("/api/links").status_code == 404
    assert api_client(host=PLATFORM).get("/api/links").status_code == 401
    assert list(staff_api.post("/api/links", {}).json()) == ["name"]
