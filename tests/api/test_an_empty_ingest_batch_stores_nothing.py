def test_an_empty_batch_is_accepted_and_stores_nothing(acme_api):
    response = acme_api.post("/api/ingest", [], format="json")

    assert response.status_code == 201
    assert response.json() == {"accepted": 0}
