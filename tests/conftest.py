"""Personas shared by the whole suite: a client (`acme`), another client who must see nothing (`globex`),
their users, and platform staff. Client schemas are created once per test session: creating a schema
runs every tenant migration, far too slow to repeat per test.
"""

import pytest
from django.db import connection

from tenants.models import Client
from tenants.services import client_create, platform_tenant_ensure, user_create

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        platform_tenant_ensure()
        for slug, name in (("acme", "Acme Energia"), ("globex", "Globex Solar")):
            if not Client.objects.filter(slug=slug).exists():
                client = client_create(name=name, slug=slug)
                user_create(username=f"{slug}-user", password=PASSWORD, client=client, is_staff=True)
        user_create(username="staff", password=PASSWORD, is_staff=True, is_superuser=True)
    yield


@pytest.fixture
def acme(db):
    return Client.objects.get(slug="acme")


@pytest.fixture
def globex(db):
    return Client.objects.get(slug="globex")


@pytest.fixture
def in_acme(acme):
    """Run the test inside acme's schema, as a request on acme's domain would."""
    connection.set_tenant(acme)
    yield acme
    connection.set_schema_to_public()


@pytest.fixture
def in_globex(globex):
    connection.set_tenant(globex)
    yield globex
    connection.set_schema_to_public()
