from django.db import connection

from tenants.models import Client, Domain
from tests.helpers.api import api_client


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def test_staff_list_the_clients_without_the_platform_itself(staff_api, acme, globex):
    response = staff_api.get("/api/clients")

    assert response.status_code == 200
    slugs = [client["slug"] for client in response.json()["results"]]
    assert "acme" in slugs and "globex" in slugs and "platform" not in slugs


def test_creating_a_client_creates_its_schema_and_domain(staff_api):
    response = staff_api.post(
        "/api/clients", {"name": "Initech", "slug": "initech", "time_zone": "America/Manaus"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["domain"] == "initech.localhost"
    assert body["time_zone"] == "America/Manaus"
    assert schema_exists("client_initech")
    assert Domain.objects.filter(domain="initech.localhost", tenant_id=body["id"]).exists()


def test_deleting_a_client_drops_its_schema(staff_api):
    client_id = staff_api.post("/api/clients", {"name": "Umbrella", "slug": "umbrella"}).json()["id"]

    response = staff_api.delete(f"/api/clients/{client_id}")

    assert response.status_code == 204
    assert not Client.objects.filter(pk=client_id).exists()
    assert not schema_exists("client_umbrella")


def test_a_client_is_refused_a_time_zone_that_does_not_exist(staff_api):
    response = staff_api.post(
        "/api/clients", {"name": "Nowhere", "slug": "nowhere", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 400
    assert "time_zone" in response.json()


def test_a_taken_slug_is_refused(staff_api, acme):
    response = staff_api.post("/api/clients", {"name": "Acme again", "slug": "acme"})

    assert response.status_code == 400
    assert "slug" in response.json()


def test_a_clients_name_and_state_can_change_but_not_its_slug(staff_api, acme):
    renamed = staff_api.patch(f"/api/clients/{acme.pk}", {"name": "Acme Energia S.A.", "active": False})
    reslugged = staff_api.patch(f"/api/clients/{acme.pk}", {"slug": "acme2"})

    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Acme Energia S.A." and renamed.json()["active"] is False
    assert reslugged.status_code == 400
    assert "slug" in reslugged.json()


def test_clients_can_be_filtered_by_state(staff_api, acme, globex):
    staff_api.patch(f"/api/clients/{globex.pk}", {"active": False})

    slugs = [
        client["slug"] for client in staff_api.get("/api/clients", {"active": "false"}).json()["results"]
    ]

    assert slugs == ["globex"]


def test_the_platform_itself_is_not_a_client_of_the_api(staff_api):
    platform = Client.objects.get(schema_name="public")

    assert staff_api.get(f"/api/clients/{platform.pk}").status_code == 404


def test_a_client_user_may_not_manage_clients(acme):
    client = api_client(host="localhost", username="acme-user")

    assert client.get("/api/clients").status_code == 403


def test_clients_do_not_exist_on_a_clients_domain(acme):
    client = api_client(host="acme.localhost", username="staff")

    assert client.get("/api/clients").status_code == 404
