"""Cloud status codes map back to the presets' DPs, so the cloud and the LAN decode alike."""

from tuya_fake_cloud import response_file

from meters.drivers.tuya_presets import tuya_decode, tuya_dps_from_cloud


def test_it_maps_the_standard_plug_codes_to_the_plug_data_points():
    status = response_file("status_plug_off.json")["result"]

    dps = tuya_dps_from_cloud(preset="plug_v33", status=status)

    assert dps == {"1": False, "18": 0, "19": 0, "20": 2335}
    assert tuya_decode(preset="plug_v33", dps=dps) == {
        "switch": 0.0,
        "current_l1": 0.0,
        "power": 0.0,
        "power_l1": 0.0,
        "voltage_l1": 233.5,
    }


def test_it_maps_the_same_plug_codes_to_the_older_plugs_data_points():
    status = response_file("status_plug_on.json")["result"]

    assert tuya_dps_from_cloud(preset="plug_v31", status=status) == {
        "1": True,
        "4": 1184,
        "5": 1402,
        "6": 1268,
    }


def test_it_maps_the_dual_meter_codes_typos_included():
    status = response_file("status_dual_meter.json")["result"]

    dps = tuya_dps_from_cloud(preset="dual_meter", status=status)

    assert dps == {
        "101": 20734, "102": "REVERSE", "106": 152346, "107": 84217, "110": 97, "111": 5998, "112": 1293,
        "113": 16531,
    }  # fmt: skip
