"""The cloud's access token is fetched once and shared by the project's devices until it expires, so a
30-s poll does not spend the cloud quota on tokens."""

from tuya_testing import cloud_config

from meters.drivers.tuya import tuya_read

PLUG = "bf8a1c2d3e4f5a6b7c8d"
OTHER_PLUG = "bf8a1c2d3e4f5a6b7c8e"
TOKEN = "/v1.0/token?grant_type=1"


def _status(device_id: str) -> str:
    return f"/v1.0/iot-03/devices/{device_id}/status"


def test_the_devices_of_one_project_share_one_token(fake_cloud):
    fake_cloud.statuses |= {PLUG: "status_plug_on.json", OTHER_PLUG: "status_plug_off.json"}

    for _ in range(3):
        tuya_read(config=cloud_config(device_id=PLUG))
        tuya_read(config=cloud_config(device_id=OTHER_PLUG))

    assert fake_cloud.requests == [TOKEN] + [_status(PLUG), _status(OTHER_PLUG)] * 3


def test_a_token_the_cloud_refuses_is_renewed_once_and_the_read_succeeds(fake_cloud):
    fake_cloud.statuses[PLUG] = "status_plug_on.json"
    tuya_read(config=cloud_config(device_id=PLUG))
    fake_cloud.tokens_revoke()

    assert tuya_read(config=cloud_config(device_id=PLUG))["power"] == 140.2
    tuya_read(config=cloud_config(device_id=PLUG))

    assert fake_cloud.requests == [TOKEN, _status(PLUG), _status(PLUG), TOKEN, _status(PLUG), _status(PLUG)]


def test_a_token_about_to_expire_is_not_used(fake_cloud):
    fake_cloud.statuses[PLUG] = "status_plug_on.json"
    fake_cloud.token_lifetime_s = 30  # within a minute of its expiry from the start

    tuya_read(config=cloud_config(device_id=PLUG))
    tuya_read(config=cloud_config(device_id=PLUG))

    assert fake_cloud.requests == [TOKEN, _status(PLUG)] * 2


def test_another_project_gets_its_own_token(fake_cloud):
    fake_cloud.statuses[PLUG] = "status_plug_on.json"

    tuya_read(config=cloud_config(device_id=PLUG, region="us"))
    tuya_read(config=cloud_config(device_id=PLUG, region="eu"))

    assert fake_cloud.requests == [TOKEN, _status(PLUG)] * 2
