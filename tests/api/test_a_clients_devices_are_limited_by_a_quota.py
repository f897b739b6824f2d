from django.test import override_settings

SDM630 = {"driver": "sdm630", "host": "10.0.0.20", "port": 502}


def _create(api, name: str):
    return api.post("/api/devices", {"name": name, "device_type": "modbus_tcp", "config": SDM630})


def test_a_client_at_its_device_quota_cannot_add_another_and_other_clients_can(acme_api, globex_api):
    with override_settings(DEVICE_QUOTA_PER_CLIENT=2):
        statuses = [_create(acme_api, f"meter {n}").status_code for n in range(2)]
        refused = _create(acme_api, "one too many")
        other = _create(globex_api, "globex meter")

    assert statuses == [201, 201]
    assert refused.status_code == 400
    assert "limit" in str(refused.json())
    assert other.status_code == 201
    assert len(acme_api.get("/api/devices").json()["results"]) == 2
