EW11 = {"driver": "sdm630", "host": "10.0.0.109", "port": 8899, "framer": "rtu"}


def test_the_api_answers_400_naming_config_timeout(acme_api):
    body = {"name": "slow", "device_type": "modbus_tcp", "config": EW11 | {"timeout": 30.0, "retries": 0}}

    response = acme_api.post("/api/devices", body)

    assert response.status_code == 400
    assert "timeout" in response.json()["config"]
