"""The dual_meter preset: channel A of the bidirectional clamp meter, signed by its direction DP."""

import pytest

from meters.drivers.tuya_presets import tuya_decode
from meters.errors import MalformedResponse

STATUS = {
    "1": 463101, "2": 84217, "101": 20734, "102": "REVERSE", "104": "FORWARD", "105": 24871,
    "106": 152346, "107": 84217, "108": 310755, "109": 0, "110": 97, "111": 5998, "112": 1293,
    "113": 16531, "114": 19236, "121": 99, "129": 10,
}  # fmt: skip


def test_it_decodes_channel_a_in_catalog_units():
    assert tuya_decode(preset="dual_meter", dps=STATUS) == {
        "power": -2073.4,
        "power_l1": -2073.4,
        "energy_import": 1523.46,
        "energy_export": 842.17,
        "power_factor": 0.97,
        "power_factor_l1": 0.97,
        "frequency": 59.98,
        "voltage_l1": 129.3,
        "current_l1": 16.531,
    }


def test_it_makes_power_positive_when_energy_flows_from_the_grid():
    metrics = tuya_decode(preset="dual_meter", dps={"101": 8125, "102": "FORWARD"})

    assert metrics["power"] == 812.5


def test_it_makes_power_negative_when_energy_flows_to_the_grid():
    metrics = tuya_decode(preset="dual_meter", dps={"101": 8125, "102": "REVERSE"})

    assert metrics["power"] == -812.5


def test_it_ignores_channel_b():
    with_b = tuya_decode(preset="dual_meter", dps=STATUS)
    without_b = tuya_decode(
        preset="dual_meter", dps={k: v for k, v in STATUS.items() if k not in ("105", "108")}
    )

    assert with_b == without_b


@pytest.mark.parametrize("direction", [None, "BACKWARD"])
def test_it_refuses_a_power_whose_direction_it_cannot_tell(direction):
    dps = {"101": 8125} if direction is None else {"101": 8125, "102": direction}

    with pytest.raises(MalformedResponse, match="direction DP 102"):
        tuya_decode(preset="dual_meter", dps=dps)
