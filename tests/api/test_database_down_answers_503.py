"""With the database unreachable, the API answers a JSON 503 that says to retry (a pushing meter keeps
its readings and sends them again), never an HTML 500."""

from django.db import connection
from rest_framework.test import APIClient


def test_ingest_answers_json_503_while_the_database_is_down(django_db_blocker, closed_port, monkeypatch):
    with django_db_blocker.unblock():
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", closed_port)
        try:
            response = APIClient(HTTP_HOST="acme.localhost").post(
                "/api/ingest", {"device_id": 1, "metrics": {"power": 1.0}}, format="json"
            )
        finally:
            connection.close()

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.json()["detail"]
