"""A probe asks precisely when something is down, and by IP: health answers JSON either way."""

from django.test import Client


def test_health_answers_json_503_when_the_database_is_down(database_down):
    response = Client().get("/api/health", HTTP_HOST="localhost")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "degraded", "database": "error: OperationalError", "broker": "ok"}


def test_health_answers_a_probe_that_asks_by_ip(db):
    response = Client().get("/api/health", HTTP_HOST="10.20.30.40:8000")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_health_refuses_a_post(db):
    assert Client().post("/api/health", HTTP_HOST="10.20.30.40").status_code == 405
