"""The plug_v31 preset: DPs 4/5/6 of the older plugs."""

from meters.drivers.tuya_presets import tuya_decode


def test_it_decodes_a_status_captured_from_a_protocol_3_1_plug():
    # DP_QUERY answer of a 3.1 plug, as logged in jasonacox/tinytuya#177.
    dps = {"1": True, "2": 0, "4": 161, "5": 168, "6": 1194}

    assert tuya_decode(preset="plug_v31", dps=dps) == {
        "switch": 1.0,
        "current_l1": 0.161,
        "power": 16.8,
        "power_l1": 16.8,
        "voltage_l1": 119.4,
    }
