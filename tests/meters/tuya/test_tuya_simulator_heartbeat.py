"""The simulated device answers a heartbeat, as real devices do to keep a connection alive."""

import tinytuya
from tuya_testing import DEVICE_ID, LOCAL_KEY


def test_it_answers_a_heartbeat_with_an_empty_frame(simulator_start):
    device = simulator_start()
    client = tinytuya.OutletDevice(
        DEVICE_ID, "127.0.0.1", LOCAL_KEY, version=3.3, port=device.port, connection_timeout=0.3
    )

    # tinytuya keeps listening after the empty answer until its timeout; it records what it received.
    client.heartbeat(nowait=False)

    assert [(frame.cmd, frame.retcode, frame.payload) for frame in client.raw_recv] == [
        (tinytuya.HEART_BEAT, 0, b"")
    ]
