def test_health_reports_database_and_broker_ok(client, db):
    response = client.get("/api/health", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_health_needs_no_login_on_a_client_domain(client, acme):
    response = client.get("/api/health", HTTP_HOST="acme.localhost")

    assert response.status_code == 200
