from meters.drivers.registers import float32_abcd_encode
from meters.drivers.sdm630 import sdm630_block_decode


def test_it_decodes_the_values_a_block_holds_and_skips_the_gaps():
    registers = [0] * 4
    registers[0:2] = float32_abcd_encode(-1500.5)  # total system power demand at 0x0054
    registers[2:4] = float32_abcd_encode(4200.0)  # maximum demand at 0x0056
    assert sdm630_block_decode(start=0x0054, registers=registers) == {
        "power_demand": -1500.5,
        "power_demand_max": 4200.0,
    }


def test_a_value_cut_by_the_end_of_the_block_is_not_decoded():
    registers = list(float32_abcd_encode(60.0)) + [0x4270]
    assert sdm630_block_decode(start=0x0046, registers=registers) == {"frequency": 60.0}


def test_a_value_the_meter_does_not_measure_is_left_out_not_passed_as_nan():
    registers = [0x7FC0, 0x0000, *float32_abcd_encode(2.5)]
    assert sdm630_block_decode(start=0x00EA, registers=registers) == {"thd_voltage_l2": 2.5}
