"""A device read with a preset that does not fit it yields an error, never an empty reading."""

import pytest
from tuya_testing import local_config

from meters.drivers.tuya import tuya_read
from meters.errors import MalformedResponse


def test_a_preset_that_matches_no_data_point_is_an_error(simulator_start):
    device = simulator_start(preset="plug_v33")

    with pytest.raises(MalformedResponse, match="none of the data points of preset dual_meter"):
        tuya_read(config=local_config(port=device.port, preset="dual_meter"))
