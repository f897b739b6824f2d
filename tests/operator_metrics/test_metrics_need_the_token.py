from django.test import override_settings


def test_metrics_without_credentials_answer_401(client, db, metrics_token):
    response = client.get("/metrics", HTTP_HOST="localhost")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"pieng_" not in response.content


def test_metrics_with_a_wrong_token_answer_403(client, db, metrics_token):
    response = client.get("/metrics", HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer guess")

    assert response.status_code == 403
    assert b"pieng_" not in response.content


def test_metrics_refuse_everyone_while_no_token_is_set(client, db):
    with override_settings(METRICS_TOKEN=""):
        response = client.get("/metrics", HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 401


def test_metrics_refuse_an_empty_configured_token_guess(client, db):
    with override_settings(METRICS_TOKEN=""):
        response = client.get("/metrics", HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer anything")

    assert response.status_code == 403
