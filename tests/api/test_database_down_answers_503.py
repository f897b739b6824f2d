"""With the database unreachable, the API answers a JSON 503 that says to retry (a pushing meter keeps
its readings and sends them again), never an HTML 500."""

from rest_framework.test import APIClient


def test_ingest_answers_json_503_while_the_database_is_down(database_down):
    response = APIClient(HTTP_HOST="acme.localhost").post(
        "/api/ingest", {"device_id": 1, "metrics": {"power": 1.0}}, format="json"
    )

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "5"
    assert response.json()["detail"]
