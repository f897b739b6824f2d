import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tenants.models import Client, Domain
from tenants.services import client_create


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.django_db(transaction=False)
def test_creating_a_client_creates_its_schema_and_portal_domain(db):
    client = client_create(name="Initech", slug="initech", time_zone="America/Manaus")

    assert _schema_exists("client_initech")
    assert Domain.objects.get(tenant=client).domain == "initech.localhost"
    assert client.time_zone == "America/Manaus"


def test_a_new_client_defaults_to_sao_paulo_time(db):
    client = client_create(name="Umbrella", slug="umbrella")

    assert client.time_zone == "America/Sao_Paulo"


def test_a_bad_slug_or_time_zone_is_refused_and_nothing_is_created(db):
    with pytest.raises(ValidationError) as error:
        client_create(name="Bad", slug="Bad Slug!", time_zone="Mars/Olympus")

    assert set(error.value.message_dict) == {"slug", "time_zone"}
    assert not Client.objects.filter(name="Bad").exists()


def test_staff_create_a_client_in_the_back_office(client, django_user_model, db):
    client.force_login(django_user_model.objects.get(username="staff"))

    response = client.post(
        "/admin/tenants/client/add/",
        {
            "name": "Hooli",
            "slug": "hooli",
            "time_zone": "America/Sao_Paulo",
            "active": "on",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
        },
        HTTP_HOST="localhost",
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _schema_exists("client_hooli")
    assert Domain.objects.filter(domain="hooli.localhost").exists()
