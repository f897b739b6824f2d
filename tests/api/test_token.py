from django.conf import settings
from django.test import override_settings

from tests.helpers.api import ACME, GLOBEX, PLATFORM, api_client
from tests.helpers.personas import PASSWORD


def token_request(host: str, username: str, password: str = PASSWORD):
    return api_client(host=host).post("/api/token", {"username": username, "password": password})


def test_a_client_user_gets_a_token_pair_on_its_own_domain(acme):
    response = token_request(ACME, "acme-user")

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_the_access_token_opens_the_api(acme):
    access = token_request(ACME, "acme-user").json()["access"]
    client = api_client(host=ACME)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    assert client.get("/api/devices").status_code == 200


def test_a_refresh_token_gives_a_new_access_token(acme):
    refresh = token_request(ACME, "acme-user").json()["refresh"]

    response = api_client(host=ACME).post("/api/token/refresh", {"refresh": refresh})

    assert response.status_code == 200
    assert set(response.json()) == {"access"}


def test_a_wrong_password_is_refused(acme):
    response = token_request(ACME, "acme-user", password="wrong")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_client_user_gets_no_token_on_another_clients_domain(globex):
    response = token_request(GLOBEX, "acme-user")

    assert response.status_code == 401


def test_a_client_user_gets_no_token_on_the_platform_domain(acme):
    assert token_request(PLATFORM, "acme-user").status_code == 401


def test_platform_staff_get_a_token_on_the_platform_domain(db):
    assert token_request(PLATFORM, "staff").status_code == 200


def test_a_refresh_token_is_refused_on_another_clients_domain(acme, globex):
    refresh = token_request(ACME, "acme-user").json()["refresh"]

    response = api_client(host=GLOBEX).post("/api/token/refresh", {"refresh": refresh})

    assert response.status_code == 401


def test_a_forged_refresh_token_is_refused(acme):
    response = api_client(host=ACME).post("/api/token/refresh", {"refresh": "not.a.token"})

    assert response.status_code == 401


def test_token_requests_are_throttled(acme):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "2/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [token_request(ACME, "acme-user", password="wrong").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(acme):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "2/min"}
    client = api_client(host=ACME)
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [
            client.post(
                "/api/token",
                {"username": "acme-user", "password": "wrong"},
                HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
            ).status_code
            for n in range(3)
        ]

    assert statuses == [401, 401, 429]
