from meters.catalog import CATALOG, metric_name_is_valid, metric_unit


def test_it_knows_the_unit_of_every_catalog_metric():
    assert metric_unit("power") == "W"
    assert metric_unit("reactive_energy_import") == "kvarh"
    assert metric_unit("voltage_l3_l1") == "V"
    assert metric_unit("phase_angle_l2") == "degree"
    assert metric_unit("alarm") == "0/1"


def test_a_custom_metric_has_no_known_unit():
    assert metric_unit("boiler_temperature") is None


def test_it_holds_the_whole_per_phase_vocabulary():
    bases = (
        "voltage",
        "current",
        "power",
        "apparent_power",
        "reactive_power",
        "power_factor",
        "phase_angle",
        "thd_voltage",
        "thd_current",
        "energy_import",
        "energy_export",
    )
    assert all(f"{base}_l{n}" in CATALOG for base in bases for n in (1, 2, 3))
    assert {"voltage_l1_l2", "voltage_l2_l3", "voltage_l3_l1"} <= set(CATALOG)


def test_every_catalog_name_is_a_valid_metric_name():
    assert all(metric_name_is_valid(name) for name in CATALOG)


def test_it_accepts_lower_snake_case_up_to_64_characters():
    assert metric_name_is_valid("boiler_temperature_2")
    assert metric_name_is_valid("a" * 64)


def test_it_refuses_names_that_are_not_lower_snake_case():
    for name in ("Power", "power-l1", "power__l1", "_power", "power_", "1power", "", "pôwer", "a" * 65):
        assert not metric_name_is_valid(name), name
