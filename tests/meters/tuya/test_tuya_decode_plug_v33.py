"""The plug_v33 preset: DP 18 mA, DPs 19/20 in tenths of W and V, DP 17 ignored."""

import pytest

from meters.drivers.tuya_presets import tuya_decode
from meters.errors import MalformedResponse


def test_it_scales_power_and_voltage_by_ten_and_current_from_milliamperes():
    dps = {"1": True, "9": 0, "17": 3, "18": 1184, "19": 1402, "20": 1268, "21": 1, "22": 622}

    assert tuya_decode(preset="plug_v33", dps=dps) == {
        "switch": 1.0,
        "current_l1": 1.184,
        "power": 140.2,
        "power_l1": 140.2,
        "voltage_l1": 126.8,
    }


def test_it_does_not_turn_add_ele_into_an_energy_counter():
    # DP 17 restarts from zero after each report to the cloud: as a counter it would look like resets.
    metrics = tuya_decode(preset="plug_v33", dps={"17": 101})

    assert metrics == {}


def test_it_reports_an_open_relay_as_switch_zero():
    assert tuya_decode(preset="plug_v33", dps={"1": False, "19": 0}) == {
        "switch": 0.0,
        "power": 0.0,
        "power_l1": 0.0,
    }


def test_it_leaves_out_data_points_the_device_did_not_send():
    assert tuya_decode(preset="plug_v33", dps={"20": 2203}) == {"voltage_l1": 220.3}


@pytest.mark.parametrize(
    ("dps", "named"), [({"19": "1402"}, "DP 19"), ({"1": 1}, "DP 1"), ({"18": True}, "DP 18")]
)
def test_it_refuses_a_value_of_the_wrong_kind(dps, named):
    with pytest.raises(MalformedResponse, match=named):
        tuya_decode(preset="plug_v33", dps=dps)
