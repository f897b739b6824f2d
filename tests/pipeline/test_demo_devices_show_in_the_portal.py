import pytest
from django.contrib.auth import get_user_model

from meters.demo import DemoPorts, DemoSimulators, demo_devices_seed
from meters.polling.poll import PollStatus, device_poll


@pytest.fixture
def simulators():
    with DemoSimulators(ports=DemoPorts(modbus_tcp=0, ew11=0, tuya=0)) as running:
        yield running


def test_after_one_poll_each_demo_device_shows_online_with_its_latest_values(
    acme, in_acme, simulators, client
):
    devices = demo_devices_seed(client=acme, ports=simulators.ports)
    outcomes = [device_poll(device=device) for device in devices]
    client.force_login(get_user_model().objects.get(username="acme-user"))

    page = client.get("/", HTTP_HOST="acme.localhost").content.decode()

    assert [outcome.status for outcome in outcomes] == [PollStatus.STORED] * 4
    for device in devices:
        row = page.split(f'data-device="{device.pk}"')[1].split("</tr>")[0]
        assert "badge on" in row
        assert 'data-metric="power"' in row
