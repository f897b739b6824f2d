from meters.models import Device


def test_a_client_admin_refuses_a_bad_config_naming_the_field(client, acme, in_acme):
    client.force_login(acme.users.get())

    response = client.post(
        "/admin/meters/device/add/",
        {
            "name": "Entrada",
            "device_type": "modbus_tcp",
            "active": "on",
            "role": "grid",
            "nominal_voltage": "127",
            "config": '{"host": "10.0.0.109", "driver": "sdm630", "slave_id": 300}',
        },
        HTTP_HOST="acme.localhost",
    )

    assert response.status_code == 200
    assert "slave_id: must be between 1 and 247" in response.content.decode()
    assert not Device.objects.exists()


def test_a_client_admin_stores_a_good_device_with_defaults(client, acme, in_acme):
    client.force_login(acme.users.get())

    response = client.post(
        "/admin/meters/device/add/",
        {
            "name": "Entrada",
            "device_type": "modbus_tcp",
            "active": "on",
            "role": "grid",
            "nominal_voltage": "220",
            "config": '{"host": "10.0.0.109", "driver": "sdm630", "framer": "rtu"}',
        },
        HTTP_HOST="acme.localhost",
    )

    assert response.status_code == 302
    device = Device.objects.get()
    assert device.config["port"] == 8899 and device.nominal_voltage == 220
