"""API clients of the personas: each client's user with a JWT on its own domain, platform staff on the
platform domain, and nobody."""

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tenants.models import User

ACME = "acme.localhost"
GLOBEX = "globex.localhost"
PLATFORM = "localhost"


def bearer(username: str) -> str:
    return f"Bearer {RefreshToken.for_user(User.objects.get(username=username)).access_token}"


def api_client(*, host: str, username: str | None = None) -> APIClient:
    client = APIClient(HTTP_HOST=host)
    if username:
        client.credentials(HTTP_AUTHORIZATION=bearer(username))
    return client


def signed_in_client(*, host: str, username: str) -> APIClient:
    """A browser session of `username` on `host`."""
    client = api_client(host=host)
    client.force_login(User.objects.get(username=username))
    return client
