import json

import pytest

from meters.cli import UsageError
from meters.errors import TuyaKeyError
from meters.simulators.tuya import TuyaSimulator

DEVICE_ID = "bf0test0plug0meter01"
LOCAL_KEY = "0123456789abcdef"


@pytest.fixture
def plug(site):
    with TuyaSimulator(device_id=DEVICE_ID, local_key=LOCAL_KEY, site=site) as simulator:
        yield simulator


def _read(meter, plug, local_key: str) -> str:
    return meter(
        "read",
        "--driver",
        "tuya",
        "--device-id",
        DEVICE_ID,
        "--address",
        "127.0.0.1",
        "--port",
        str(plug.port),
        "--local-key",
        local_key,
        "--timeout",
        "0.5",
        "--json",
    )


def test_read_json_reads_a_tuya_plug_through_the_same_options(meter, plug):
    reading = json.loads(_read(meter, plug, LOCAL_KEY))

    assert reading["voltage_l1"] == plug.reading.voltage
    assert reading["power"] == reading["power_l1"] == plug.reading.power


def test_a_wrong_local_key_is_a_key_error(meter, plug):
    with pytest.raises(TuyaKeyError):
        _read(meter, plug, "fedcba9876543210")


def test_simulating_a_tuya_device_needs_its_id_and_key(meter):
    with pytest.raises(UsageError, match=r"^a Tuya simulator needs --device-id, --local-key$"):
        meter("simulate", "--driver", "tuya", "--port", "0")
