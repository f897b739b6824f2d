"""A device's host may be any LAN address, but never link-local or metadata, unspecified, the platform's
own database, Redis or web server, nor loopback unless DEVICE_ALLOW_LOOPBACK."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings


def tcp_device(host: str, port: int = 502) -> dict:
    return {
        "name": "SDM630",
        "device_type": "modbus_tcp",
        "config": {"driver": "sdm630", "host": host, "port": port},
    }


@pytest.mark.parametrize(
    "host", ["169.254.169.254", "169.254.1.1", "fe80::1", "0.0.0.0", "::", "::ffff:169.254.169.254", "0"]
)
def test_link_local_metadata_and_unspecified_addresses_are_refused_naming_config_host(acme_api, host):
    response = acme_api.post("/api/devices", tcp_device(host))

    assert response.status_code == 400
    assert list(response.json()["config"]) == ["host"]


@pytest.mark.parametrize("service", settings.PLATFORM_SERVICE_URLS)
def test_the_platforms_own_services_are_refused_even_with_loopback_allowed(acme_api, service):
    """The database, Redis (when they listen on TCP), the web server and the platform domain."""
    endpoint = urlsplit(service)

    response = acme_api.post("/api/devices", tcp_device(endpoint.hostname, endpoint.port))

    assert response.status_code == 400
    assert "platform" in response.json()["config"]["host"][0]


def test_the_database_and_redis_are_among_the_platforms_services():
    database = settings.DATABASES["default"]
    redis = urlsplit(settings.REDIS_URL)
    expected = {f"tcp://{redis.hostname}:{redis.port or 6379}"} if redis.hostname else set()
    if not database["HOST"].startswith("/"):
        expected.add(f"tcp://{database['HOST']}:{database['PORT'] or 5432}")

    assert expected <= set(settings.PLATFORM_SERVICE_URLS)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "2130706433", "localhost", "0:0:0:0:0:0:0:1"])
def test_loopback_is_refused_when_not_allowed(acme_api, settings, host):
    settings.DEVICE_ALLOW_LOOPBACK = False

    response = acme_api.post("/api/devices", tcp_device(host, 15020))

    assert response.status_code == 400
    assert "loopback" in response.json()["config"]["host"][0]


def test_a_name_that_is_no_name_is_not_a_server_error(acme_api):
    assert acme_api.post("/api/devices", tcp_device("a..b")).status_code == 201


@pytest.mark.parametrize("host", ["10.0.0.109", "192.168.1.50", "172.16.4.2", "fd12:3456::7"])
def test_meters_on_private_lans_are_accepted(acme_api, settings, host):
    settings.DEVICE_ALLOW_LOOPBACK = False

    assert acme_api.post("/api/devices", tcp_device(host, 8899)).status_code == 201


def test_a_tuya_address_and_a_serial_tcp_link_follow_the_same_rule(acme_api):
    tuya = {"driver": "tuya", "device_id": "bf1234", "address": "169.254.169.254", "local_key": "k" * 16}
    serial = {"driver": "pzem004t", "port": "socket://169.254.169.254:80"}

    tuya_response = acme_api.post("/api/devices", {"name": "plug", "device_type": "tuya", "config": tuya})
    serial_response = acme_api.post(
        "/api/devices", {"name": "pzem", "device_type": "modbus", "config": serial}
    )

    assert (tuya_response.status_code, list(tuya_response.json()["config"])) == (400, ["address"])
    assert (serial_response.status_code, list(serial_response.json()["config"])) == (400, ["port"])
