from meters.catalog import CATALOG
from meters.drivers.sdm630 import SDM630_INPUT_REGISTERS

# Written out from the Eastron table (docs/metering.md), not generated like the driver's.
DOCUMENTED = {
    "voltage_l1": 0x0000,
    "voltage_l2": 0x0002,
    "voltage_l3": 0x0004,
    "current_l1": 0x0006,
    "current_l2": 0x0008,
    "current_l3": 0x000A,
    "power_l1": 0x000C,
    "power_l2": 0x000E,
    "power_l3": 0x0010,
    "apparent_power_l1": 0x0012,
    "apparent_power_l2": 0x0014,
    "apparent_power_l3": 0x0016,
    "reactive_power_l1": 0x0018,
    "reactive_power_l2": 0x001A,
    "reactive_power_l3": 0x001C,
    "power_factor_l1": 0x001E,
    "power_factor_l2": 0x0020,
    "power_factor_l3": 0x0022,
    "phase_angle_l1": 0x0024,
    "phase_angle_l2": 0x0026,
    "phase_angle_l3": 0x0028,
    "power": 0x0034,
    "apparent_power": 0x0038,
    "reactive_power": 0x003C,
    "power_factor": 0x003E,
    "frequency": 0x0046,
    "energy_import": 0x0048,
    "energy_export": 0x004A,
    "reactive_energy_import": 0x004C,
    "reactive_energy_export": 0x004E,
    "power_demand": 0x0054,
    "power_demand_max": 0x0056,
    "voltage_l1_l2": 0x00C8,
    "voltage_l2_l3": 0x00CA,
    "voltage_l3_l1": 0x00CC,
    "current_n": 0x00E0,
    "thd_voltage_l1": 0x00EA,
    "thd_voltage_l2": 0x00EC,
    "thd_voltage_l3": 0x00EE,
    "thd_current_l1": 0x00F0,
    "thd_current_l2": 0x00F2,
    "thd_current_l3": 0x00F4,
    "energy_total": 0x0156,
    "energy_import_l1": 0x015A,
    "energy_import_l2": 0x015C,
    "energy_import_l3": 0x015E,
    "energy_export_l1": 0x0160,
    "energy_export_l2": 0x0162,
    "energy_export_l3": 0x0164,
}


def test_every_metric_sits_at_its_documented_address():
    assert SDM630_INPUT_REGISTERS == DOCUMENTED


def test_every_name_is_a_catalog_metric():
    assert set(SDM630_INPUT_REGISTERS) <= set(CATALOG)
