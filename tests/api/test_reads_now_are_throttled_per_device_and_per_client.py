"""POST /devices/{id}/read holds a meter's bus: one client cannot keep the workers' buses to itself."""

from django.conf import settings
from django.test import override_settings

from meters.config import device_config_clean
from tests.helpers.devices import device_add


def _rates(**rates):
    limits = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": limits})


def _refused_device(client, *, port: int, name: str):
    # A refused connection answers at once: the read is as short as one can be.
    config = {"driver": "sdm630", "host": "127.0.0.1", "port": port, "timeout": 0.5, "retries": 0}
    return device_add(client, name=name, config=device_config_clean(device_type="modbus_tcp", config=config))


def test_reads_of_one_device_past_its_rate_are_refused_with_429(acme_api, acme, closed_port):
    device = _refused_device(acme, port=closed_port, name="meter")
    with _rates(read_device="2/min", read_client="60/min"):
        statuses = [acme_api.post(f"/api/devices/{device.pk}/read").status_code for _ in range(3)]

    assert statuses == [502, 502, 429]


def test_reads_of_a_clients_devices_past_its_rate_are_refused_and_other_clients_read_on(
    acme_api, acme, globex_api, globex, closed_port
):
    acme_devices = [_refused_device(acme, port=closed_port, name=f"meter {n}") for n in range(4)]
    globex_device = _refused_device(globex, port=closed_port, name="globex meter")
    with _rates(read_device="6/min", read_client="3/min"):
        statuses = [acme_api.post(f"/api/devices/{d.pk}/read").status_code for d in acme_devices]
        globex_status = globex_api.post(f"/api/devices/{globex_device.pk}/read").status_code

    assert statuses == [502, 502, 502, 429]
    assert globex_status == 502
