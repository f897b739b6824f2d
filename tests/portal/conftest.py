import pytest

from tests.helpers.api import ACME, signed_in_client


@pytest.fixture
def acme_pages(acme):
    """acme's staff user signed in on acme's domain, without a real browser."""
    return signed_in_client(host=ACME, username="acme-user")
