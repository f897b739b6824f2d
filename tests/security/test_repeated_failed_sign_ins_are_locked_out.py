"""Repeated failed sign-ins lock out the user name, and separately the address they come from, on every
sign-in surface: the portal, the client admin, the platform back-office and /api/token (django-axes)."""

import pytest
from django.conf import settings
from django.test import Client as Browser

from tests.helpers.api import ACME, PLATFORM, api_client
from tests.helpers.personas import PASSWORD

SURFACES = {
    "portal": (ACME, "/login/", "acme-user"),
    "client admin": (ACME, "/admin/login/", "acme-user"),
    "platform back-office": (PLATFORM, "/admin/login/", "staff"),
}


@pytest.fixture(autouse=True)
def few_failures(settings):
    """The rule is the same at any limit; a small one keeps the test short."""
    settings.AXES_FAILURE_LIMIT = 3


def form_sign_in(host: str, path: str, username: str, password: str, address: str = "10.1.1.1") -> int:
    return (
        Browser(REMOTE_ADDR=address)
        .post(path, {"username": username, "password": password}, HTTP_HOST=host)
        .status_code
    )


@pytest.mark.parametrize("surface", SURFACES)
def test_a_user_name_is_locked_out_after_repeated_failures(db, surface):
    host, path, username = SURFACES[surface]
    before = form_sign_in(host, path, username, PASSWORD)

    failures = [
        form_sign_in(host, path, username, "wrong", f"10.2.0.{i}") for i in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert before == 302 and set(failures) <= {200, 429}
    assert form_sign_in(host, path, username, PASSWORD) == 429


def test_api_token_locks_out_a_user_name_after_repeated_failures(db):
    failures = [
        api_client(host=ACME).post(
            "/api/token", {"username": "acme-user", "password": "wrong"}, REMOTE_ADDR=f"10.3.0.{i}"
        )
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]

    locked = api_client(host=ACME).post("/api/token", {"username": "acme-user", "password": PASSWORD})

    assert failures[0].status_code == 401
    assert locked.status_code == 429 and "try again later" in locked.json()["detail"]


def test_an_address_is_locked_out_after_failures_on_many_user_names(db):
    for i in range(settings.AXES_FAILURE_LIMIT):
        form_sign_in(ACME, "/login/", f"guess-{i}", "wrong", "10.9.9.9")

    assert form_sign_in(ACME, "/login/", "acme-user", PASSWORD, "10.9.9.9") == 429
    assert form_sign_in(ACME, "/login/", "acme-user", PASSWORD, "10.8.8.8") == 302
