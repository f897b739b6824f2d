"""Platform staff create, change and delete clients through the API only with the model permissions the
back-office asks for (tenants.add_client, change_client, delete_client)."""

import pytest
from django.contrib.auth.models import Permission

from tenants.models import Client
from tenants.services import user_create
from tests.helpers.api import PLATFORM, api_client


@pytest.fixture
def clerk(db):
    """Platform staff with no permission on clients."""
    return user_create(username="clerk", password="correct horse battery", is_staff=True)


def test_staff_without_the_permissions_get_403_and_change_nothing(clerk):
    api = api_client(host=PLATFORM, username="clerk")
    client = Client.objects.get(slug="globex")

    created = api.post("/api/clients", {"name": "Mercado", "slug": "mercado"})
    changed = api.patch(f"/api/clients/{client.pk}", {"name": "Renamed"})
    deleted = api.delete(f"/api/clients/{client.pk}")

    assert (created.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    client.refresh_from_db()
    assert client.name == "Globex Solar" and not Client.objects.filter(slug="mercado").exists()
    assert api.get("/api/clients").status_code == 200


def test_staff_with_a_permission_may_do_what_it_allows(clerk):
    clerk.user_permissions.add(Permission.objects.get(codename="change_client"))
    api = api_client(host=PLATFORM, username="clerk")
    client = Client.objects.get(slug="acme")

    response = api.patch(f"/api/clients/{client.pk}", {"name": "Acme Energia SA"})

    assert response.status_code == 200
    assert api.delete(f"/api/clients/{client.pk}").status_code == 403
