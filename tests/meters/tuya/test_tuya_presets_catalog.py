"""Every preset speaks the metric catalog, and its cloud codes point at its own data points."""

import pytest

from meters.catalog import CATALOG
from meters.drivers.tuya_presets import PRESETS, tuya_decode


@pytest.mark.parametrize("preset", PRESETS.values(), ids=list(PRESETS))
def test_every_metric_of_a_preset_is_in_the_catalog(preset):
    metrics = {metric for field in preset.fields for metric in field.metrics}

    assert metrics <= set(CATALOG)


@pytest.mark.parametrize("preset", PRESETS.values(), ids=list(PRESETS))
def test_every_cloud_code_of_a_preset_names_one_of_its_data_points(preset):
    data_points = {field.dp for field in preset.fields} | {field.direction_dp for field in preset.fields}

    assert set(preset.cloud_codes.values()) <= data_points


def test_an_unknown_preset_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="plug_v33, plug_v31, dual_meter"):
        tuya_decode(preset="smart_breaker", dps={})
