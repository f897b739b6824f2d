"""Plugs that refresh their power DPs only on request get UPDATEDPS before the status query."""

import pytest
import tinytuya
from tuya_testing import local_config

from meters.drivers.tuya import tuya_read


@pytest.mark.parametrize(
    ("preset", "commands"),
    [
        ("plug_v33", [tinytuya.UPDATEDPS, tinytuya.DP_QUERY]),
        ("dual_meter", [tinytuya.DP_QUERY]),
    ],
)
def test_it_asks_for_fresh_data_points_only_where_the_preset_needs_it(simulator_start, preset, commands):
    device = simulator_start(preset=preset)

    tuya_read(config=local_config(port=device.port, preset=preset))

    assert list(device.received) == commands


def test_on_protocol_3_4_each_connection_negotiates_its_session_key_first(simulator_start):
    device = simulator_start(version="3.4")

    tuya_read(config=local_config(port=device.port, version="3.4"))

    negotiation = [tinytuya.SESS_KEY_NEG_START, tinytuya.SESS_KEY_NEG_FINISH]
    assert list(device.received) == [*negotiation, tinytuya.UPDATEDPS, *negotiation, tinytuya.DP_QUERY_NEW]
