def test_the_platform_root_answers_the_health_json_to_a_client_that_asks_for_json(client, db):
    response = client.get("/", HTTP_HOST="localhost", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_the_platform_root_sends_a_browser_to_the_back_office(client, db):
    response = client.get("/", HTTP_HOST="localhost", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_docs_redirects_to_the_api_docs(client, db):
    response = client.get("/docs", HTTP_HOST="localhost")

    assert response.status_code == 301
    assert response["Location"] == "/api/docs"
