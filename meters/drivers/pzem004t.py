"""Peacefair PZEM-004T v3.0 (and PZEM-016, same map): ten input registers and three commands.

32-bit values come low word first; within a register the bytes are big-endian (docs/metering.md).
The link is fixed at 9600 baud 8N1.
The meter cannot see direction: power is positive whatever way energy flows, and there is no export.
A single-phase meter measures phase 1: its totals are reported under the `_l1` names as well.
"""

from dataclasses import dataclass

from meters.drivers.registers import uint32_low_word_first_decode
from meters.transports import ModbusLink

# Answers whatever its own address is, as long as it is alone on the bus.
PZEM_GENERAL_ADDRESS = 0xF8
INPUT_REGISTER_COUNT = 10
ALARM_STATUS_REGISTER = 0x0009
ENERGY_RESET_FUNCTION = 0x42
ALARM_THRESHOLD_REGISTER = 0x0001  # holding, 1 W per unit
ADDRESS_REGISTER = 0x0002  # holding
ALARM_THRESHOLD_RANGE = (1, 25000)
ADDRESS_RANGE = (0x01, 0xF7)
# Commands default to the general address 0xF8, which reaches a PZEM whatever its address as long as it
# is alone on the bus: that is how a new module is commissioned.
COMMAND_SLAVE_ID = PZEM_GENERAL_ADDRESS


@dataclass(frozen=True)
class Field:
    metrics: tuple[str, ...]
    address: int
    words: int
    divisor: int


PZEM_INPUT_REGISTERS = (
    Field(("voltage_l1",), 0x0000, words=1, divisor=10),
    Field(("current_l1",), 0x0001, words=2, divisor=1000),
    Field(("power", "power_l1"), 0x0003, words=2, divisor=10),
    Field(("energy_import",), 0x0005, words=2, divisor=1000),  # Wh on the wire, kWh in the catalog
    Field(("frequency",), 0x0007, words=1, divisor=10),
    Field(("power_factor", "power_factor_l1"), 0x0008, words=1, divisor=100),
)


def pzem004t_decode(*, registers: list[int]) -> dict[str, float]:
    """Catalog values from the ten input registers; the alarm status (0xFFFF or 0) becomes 1 or 0."""
    reading: dict[str, float] = {}
    for field in PZEM_INPUT_REGISTERS:
        words = registers[field.address : field.address + field.words]
        raw = uint32_low_word_first_decode(*words) if field.words == 2 else words[0]
        reading |= {name: raw / field.divisor for name in field.metrics}
    reading["alarm"] = 1.0 if registers[ALARM_STATUS_REGISTER] else 0.0
    return reading


def pzem004t_read(*, link: ModbusLink, slave_id: int) -> dict[str, float]:
    registers = link.read_input_registers(slave_id=slave_id, address=0, count=INPUT_REGISTER_COUNT)
    return pzem004t_decode(registers=registers)


def pzem004t_energy_reset(*, link: ModbusLink, slave_id: int = COMMAND_SLAVE_ID) -> None:
    link.bare_function(slave_id=slave_id, function_code=ENERGY_RESET_FUNCTION)


def pzem004t_alarm_threshold_set(*, link: ModbusLink, watts: int, slave_id: int = COMMAND_SLAVE_ID) -> None:
    _check_range(watts, ALARM_THRESHOLD_RANGE, what="power alarm threshold (W)")
    link.write_register(slave_id=slave_id, address=ALARM_THRESHOLD_REGISTER, value=watts)


def pzem004t_address_set(*, link: ModbusLink, new_slave_id: int, slave_id: int = COMMAND_SLAVE_ID) -> None:
    """The module echoes the write from its old address, then answers at the new one."""
    _check_range(new_slave_id, ADDRESS_RANGE, what="slave address")
    link.write_register(slave_id=slave_id, address=ADDRESS_REGISTER, value=new_slave_id)


def pzem004t_settings_read(*, link: ModbusLink, slave_id: int = COMMAND_SLAVE_ID) -> dict[str, int]:
    alarm_threshold, address = link.read_holding_registers(
        slave_id=slave_id, address=ALARM_THRESHOLD_REGISTER, count=2
    )
    return {"alarm_threshold": alarm_threshold, "slave_id": address}


def _check_range(value: int, bounds: tuple[int, int], *, what: str) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise ValueError(f"the {what} must be between {low} and {high}, not {value}")
