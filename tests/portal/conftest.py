import pytest
from django.test import Client as PageClient

from tenants.models import User
from tests.helpers.api import ACME


def page_client(*, host: str, username: str) -> PageClient:
    """A signed-in session on `host` that posts forms as a browser does (the API client posts JSON)."""
    client = PageClient(HTTP_HOST=host)
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def acme_pages(acme):
    """acme's staff user signed in on acme's domain."""
    return page_client(host=ACME, username="acme-user")
