from meters.drivers.pzem004t import pzem004t_decode
from meters.drivers.registers import uint32_low_word_first_decode, uint32_low_word_first_encode


def test_it_decodes_32_bit_values_low_word_first():
    assert uint32_low_word_first_decode(0x1234, 0x0001) == 0x0001_1234
    assert uint32_low_word_first_encode(0x0001_1234) == (0x1234, 0x0001)


def test_the_high_word_is_shifted_by_16_bits_not_8():
    assert uint32_low_word_first_decode(0x0000, 0x0001) == 65536


def test_it_decodes_the_ten_input_registers_into_catalog_values():
    registers = [
        2203,  # 220.3 V
        0x1234,
        0x0001,  # 0x11234 mA = 70.196 A
        23001,
        0x0000,  # 2300.1 W
        0x5A40,
        0x0098,  # 0x985A40 Wh
        600,  # 60.0 Hz
        92,  # 0.92
        0xFFFF,  # alarm raised
    ]
    assert pzem004t_decode(registers=registers) == {
        "voltage_l1": 220.3,
        "current_l1": 0x11234 / 1000,
        "power": 2300.1,
        "power_l1": 2300.1,
        "energy_import": 0x985A40 / 1000,
        "frequency": 60.0,
        "power_factor": 0.92,
        "power_factor_l1": 0.92,
        "alarm": 1.0,
    }


def test_a_clear_alarm_status_reads_zero():
    registers = [2203, 0, 0, 0, 0, 0, 0, 600, 100, 0x0000]
    assert pzem004t_decode(registers=registers)["alarm"] == 0.0
