from tests.helpers.personas import PASSWORD


def test_a_client_user_signs_in_on_their_own_portal(client, acme):
    response = client.post(
        "/login/", {"username": "acme-user", "password": PASSWORD}, HTTP_HOST="acme.localhost", follow=True
    )

    assert response.status_code == 200
    assert response.wsgi_request.user.username == "acme-user"


def test_another_clients_user_cannot_sign_in_on_this_portal(client, acme):
    response = client.post(
        "/login/", {"username": "globex-user", "password": PASSWORD}, HTTP_HOST="acme.localhost"
    )

    assert response.status_code == 200
    assert "Esta conta não pertence a este cliente." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_session_from_another_client_is_anonymous_here(client, acme, globex):
    client.post("/login/", {"username": "globex-user", "password": PASSWORD}, HTTP_HOST="globex.localhost")

    response = client.get("/", HTTP_HOST="acme.localhost")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_another_clients_user_cannot_enter_this_clients_admin(client, acme, globex):
    client.force_login(globex.users.get())

    response = client.get("/admin/", HTTP_HOST="acme.localhost")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_client_user_cannot_enter_the_platform_back_office(client, acme):
    client.force_login(acme.users.get())

    response = client.get("/admin/", HTTP_HOST="localhost")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_platform_staff_enter_the_back_office_and_a_clients_admin(client, django_user_model, acme):
    client.force_login(django_user_model.objects.get(username="staff"))

    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 200
    assert client.get("/admin/", HTTP_HOST="acme.localhost").status_code == 200


def test_an_unknown_domain_is_not_served(client, db):
    response = client.get("/", HTTP_HOST="nobody.localhost")

    assert response.status_code == 404
