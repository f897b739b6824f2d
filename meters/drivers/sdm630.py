"""Eastron SDM630 (SDM630-Modbus V2, SDM630MCT): input registers (FC 04), big-endian float32 (ABCD).

Addresses are the 0-based protocol addresses of the Eastron input-register table (docs/metering.md).
Factory link settings: 9600 baud, 8N1, slave 1. Pages that say even parity copy SDM72 documents, and
4800 baud is only an Arduino library's own default.
"""

import math

from meters.catalog import PHASES
from meters.drivers.registers import float32_abcd_block_decode, register_blocks_plan
from meters.transports import ModbusLink

# The meter answers at most 40 parameters (80 registers) per request, and an exception beyond that.
MAX_REGISTERS_PER_REQUEST = 80


def _per_phase(template: str, first: int) -> dict[str, int]:
    return {template.format(n=n): first + 2 * (n - 1) for n in PHASES}


SDM630_INPUT_REGISTERS: dict[str, int] = {
    **_per_phase("voltage_l{n}", 0x0000),
    **_per_phase("current_l{n}", 0x0006),
    **_per_phase("power_l{n}", 0x000C),
    **_per_phase("apparent_power_l{n}", 0x0012),
    **_per_phase("reactive_power_l{n}", 0x0018),
    **_per_phase("power_factor_l{n}", 0x001E),
    **_per_phase("phase_angle_l{n}", 0x0024),
    "power": 0x0034,
    "apparent_power": 0x0038,
    "reactive_power": 0x003C,
    "power_factor": 0x003E,
    "frequency": 0x0046,
    "energy_import": 0x0048,
    "energy_export": 0x004A,
    "reactive_energy_import": 0x004C,
    "reactive_energy_export": 0x004E,
    # "Total system power demand": the meter computes it for import - export, so it is signed like power.
    "power_demand": 0x0054,
    "power_demand_max": 0x0056,
    "voltage_l1_l2": 0x00C8,
    "voltage_l2_l3": 0x00CA,
    "voltage_l3_l1": 0x00CC,
    "current_n": 0x00E0,
    **_per_phase("thd_voltage_l{n}", 0x00EA),
    **_per_phase("thd_current_l{n}", 0x00F0),
    # "Total active energy" is import + export (SDM72D-M manual, same register layout); one SDM630 V2 note
    # reads "equals export", so it is never used as a net value.
    "energy_total": 0x0156,
    **_per_phase("energy_import_l{n}", 0x015A),
    **_per_phase("energy_export_l{n}", 0x0160),
}

SDM630_BLOCKS = register_blocks_plan(
    spans=[(address, 2) for address in SDM630_INPUT_REGISTERS.values()], max_count=MAX_REGISTERS_PER_REQUEST
)


def sdm630_block_decode(*, start: int, registers: list[int]) -> dict[str, float]:
    """The catalog values held by `registers`, read from address `start`.

    A value that is not a finite number (a quantity the meter does not measure) is left out rather than
    passed on as NaN.
    """
    end = start + len(registers)
    # Every parameter starts at an even address and a block at a parameter: the block is whole pairs.
    decoded = float32_abcd_block_decode(registers[: len(registers) // 2 * 2])
    values = {
        name: decoded[(address - start) // 2]
        for name, address in SDM630_INPUT_REGISTERS.items()
        if start <= address and address + 2 <= end and (address - start) % 2 == 0
    }
    return {name: value for name, value in values.items() if math.isfinite(value)}


def sdm630_read(*, link: ModbusLink, slave_id: int) -> dict[str, float]:
    """Every catalog metric of the meter; any failed block fails the whole reading."""
    reading: dict[str, float] = {}
    for start, count in SDM630_BLOCKS:
        registers = link.read_input_registers(slave_id=slave_id, address=start, count=count)
        reading |= sdm630_block_decode(start=start, registers=registers)
    return reading
