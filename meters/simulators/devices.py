"""Simulated SDM630 and PZEM-004T: they measure the site model and answer Modbus PDUs like the real ones.

A device refreshes its measurements once per simulated second (the real meters do about that), so every
block of one reading, and a test's look at `values()`, see the same sample.
"""

import math
import struct
import threading

from meters.drivers.pzem004t import (
    ADDRESS_RANGE,
    ALARM_THRESHOLD_RANGE,
    ENERGY_RESET_FUNCTION,
    PZEM_GENERAL_ADDRESS,
)
from meters.drivers.registers import float32_abcd_encode, uint32_low_word_first_encode
from meters.drivers.sdm630 import MAX_REGISTERS_PER_REQUEST, SDM630_INPUT_REGISTERS
from meters.simulators.site import GridSample, SiteModel

REFRESH_S = 1.0
READ_HOLDING, READ_INPUT, WRITE_REGISTER = 0x03, 0x04, 0x06
ILLEGAL_FUNCTION, ILLEGAL_ADDRESS, ILLEGAL_VALUE = 1, 2, 3


def exception_pdu(function_code: int, code: int) -> bytes:
    return bytes([function_code | 0x80, code])


def registers_pdu(function_code: int, registers: list[int]) -> bytes:
    return bytes([function_code, 2 * len(registers)]) + struct.pack(f">{len(registers)}H", *registers)


def _address_and_value(pdu: bytes) -> tuple[int, int]:
    return struct.unpack(">HH", pdu[1:5])


def _malformed(pdu: bytes) -> bool:
    """Reads and single writes carry exactly two 16-bit fields (address, count or value)."""
    return pdu[0] in (READ_HOLDING, READ_INPUT, WRITE_REGISTER) and len(pdu) != 5


class Sdm630Simulator:
    LAST_INPUT_REGISTER = 0x017D  # L3 total reactive energy, the last one in the SDM630-Modbus V2 manual
    DEMAND_WINDOW_S = 3600.0  # factory demand period: 60 min
    # Counters of a meter that has been in service for a while.
    INITIAL_IMPORT_KWH = (2130.0, 1740.0, 1390.0)
    INITIAL_EXPORT_KWH = (610.0, 600.0, 590.0)
    INITIAL_REACTIVE_IMPORT_KVARH = 1850.0
    INITIAL_REACTIVE_EXPORT_KVARH = 42.0

    def __init__(self, *, site: SiteModel, slave_id: int = 1):
        self.slave_id = slave_id
        self._site = site
        self._lock = threading.Lock()
        self._import_kwh = list(self.INITIAL_IMPORT_KWH)
        self._export_kwh = list(self.INITIAL_EXPORT_KWH)
        self._reactive_import_kvarh = self.INITIAL_REACTIVE_IMPORT_KVARH
        self._demand_max = -math.inf
        self._sampled_at = site.now()
        self._values = self._measure(at=self._sampled_at)

    def answers_to(self, slave_id: int) -> bool:
        return slave_id == self.slave_id

    def values(self) -> dict[str, float]:
        """The catalog values the meter holds now: what a correct driver must read."""
        with self._lock:
            now = self._site.now()
            if now - self._sampled_at >= REFRESH_S:
                self._values = self._measure(at=now)
            return dict(self._values)

    def respond(self, pdu: bytes) -> bytes:
        function_code = pdu[0]
        if function_code != READ_INPUT:
            return exception_pdu(function_code, ILLEGAL_FUNCTION)
        if _malformed(pdu):
            return exception_pdu(function_code, ILLEGAL_VALUE)
        address, count = _address_and_value(pdu)
        if not 1 <= count <= MAX_REGISTERS_PER_REQUEST:
            return exception_pdu(function_code, ILLEGAL_VALUE)
        if address + count - 1 > self.LAST_INPUT_REGISTER:
            return exception_pdu(function_code, ILLEGAL_ADDRESS)
        image = sdm630_register_image(self.values())
        return registers_pdu(function_code, [image.get(a, 0) for a in range(address, address + count)])

    def _measure(self, *, at: float) -> dict[str, float]:
        flows = self._site.grid_flows(start=self._sampled_at, end=at)
        for index in range(3):
            self._import_kwh[index] += flows.import_wh[index] / 1000
            self._export_kwh[index] += flows.export_wh[index] / 1000
        self._reactive_import_kvarh += flows.reactive_import_varh / 1000
        demand = self._site.grid_demand(at=at, window_s=self.DEMAND_WINDOW_S)
        self._demand_max = max(self._demand_max, demand)
        self._sampled_at = at
        return self._catalog_values(sample=self._site.grid_sample(at=at), demand=demand)

    def _catalog_values(self, *, sample: GridSample, demand: float) -> dict[str, float]:
        values: dict[str, float] = {}
        for n, phase in enumerate(sample.phases, start=1):
            values |= {
                f"voltage_l{n}": phase.voltage,
                f"current_l{n}": phase.current,
                f"power_l{n}": phase.power,
                f"apparent_power_l{n}": phase.apparent_power,
                f"reactive_power_l{n}": phase.reactive_power,
                f"power_factor_l{n}": phase.power_factor,
                f"phase_angle_l{n}": phase.phase_angle,
                f"thd_voltage_l{n}": phase.thd_voltage,
                f"thd_current_l{n}": phase.thd_current,
                f"energy_import_l{n}": self._import_kwh[n - 1],
                f"energy_export_l{n}": self._export_kwh[n - 1],
            }
        power = sum(phase.power for phase in sample.phases)
        apparent = sum(phase.apparent_power for phase in sample.phases)
        energy_import, energy_export = sum(self._import_kwh), sum(self._export_kwh)
        l1_l2, l2_l3, l3_l1 = sample.voltage_line_to_line
        return values | {
            "power": power,
            "apparent_power": apparent,
            "reactive_power": sum(phase.reactive_power for phase in sample.phases),
            "power_factor": power / apparent,
            "frequency": sample.frequency,
            "energy_import": energy_import,
            "energy_export": energy_export,
            "energy_total": energy_import + energy_export,
            "reactive_energy_import": self._reactive_import_kvarh,
            "reactive_energy_export": self.INITIAL_REACTIVE_EXPORT_KVARH,
            "power_demand": demand,
            "power_demand_max": self._demand_max,
            "voltage_l1_l2": l1_l2,
            "voltage_l2_l3": l2_l3,
            "voltage_l3_l1": l3_l1,
            "current_n": sample.current_n,
        }


def sdm630_register_image(values: dict[str, float]) -> dict[int, int]:
    """Input register address -> 16-bit word; registers the table does not name read as zero."""
    image: dict[int, int] = {}
    for name, address in SDM630_INPUT_REGISTERS.items():
        image[address], image[address + 1] = float32_abcd_encode(values[name])
    return image


class Pzem004tSimulator:
    INPUT_REGISTER_COUNT = 10
    HOLDING_REGISTERS = (0x0001, 0x0002)  # power alarm threshold, slave address
    # The counter's range ends at 9999.99 kWh; past it, it starts again from zero.
    ENERGY_WRAP_WH = 10_000_000
    DEFAULT_ALARM_THRESHOLD_W = 2300  # the rating of the 10 A module

    def __init__(
        self,
        *,
        site: SiteModel,
        slave_id: int = 1,
        energy_wh: float = 0.0,
        alarm_threshold_w: int = DEFAULT_ALARM_THRESHOLD_W,
    ):
        self.address = slave_id
        self.alarm_threshold_w = alarm_threshold_w
        self._site = site
        self._lock = threading.Lock()
        self._energy_wh = energy_wh
        self._sampled_at = site.now()
        self._sample = site.circuit_sample(at=self._sampled_at)
        self._frequency = site.frequency(at=self._sampled_at)

    def answers_to(self, slave_id: int) -> bool:
        return slave_id in (self.address, PZEM_GENERAL_ADDRESS)

    def values(self) -> dict[str, float]:
        """The catalog values at the module's resolution: what a correct driver must read."""
        with self._lock:
            self._refresh()
            sample, energy_wh = self._sample, math.floor(self._energy_wh)
            power = round(sample.power, 1)
            power_factor = round(sample.power_factor, 2)
            return {
                "voltage_l1": round(sample.voltage, 1),
                "current_l1": round(sample.current, 3),
                "power": power,
                "power_l1": power,
                "energy_import": energy_wh / 1000,
                "frequency": round(self._frequency, 1),
                "power_factor": power_factor,
                "power_factor_l1": power_factor,
                "alarm": 1.0 if power > self.alarm_threshold_w else 0.0,
            }

    def input_registers(self) -> list[int]:
        values = self.values()
        return [
            round(values["voltage_l1"] * 10),
            *uint32_low_word_first_encode(round(values["current_l1"] * 1000)),
            *uint32_low_word_first_encode(round(values["power"] * 10)),
            *uint32_low_word_first_encode(round(values["energy_import"] * 1000)),
            round(values["frequency"] * 10),
            round(values["power_factor"] * 100),
            0xFFFF if values["alarm"] else 0x0000,
        ]

    def respond(self, pdu: bytes) -> bytes:
        function_code = pdu[0]
        if _malformed(pdu):
            return exception_pdu(function_code, ILLEGAL_VALUE)
        if function_code == ENERGY_RESET_FUNCTION:
            with self._lock:
                self._refresh()
                self._energy_wh = 0.0
            return pdu
        if function_code == READ_INPUT:
            return self._read(pdu, first=0, registers=self.input_registers())
        if function_code == READ_HOLDING:
            first = self.HOLDING_REGISTERS[0]
            return self._read(pdu, first=first, registers=[self.alarm_threshold_w, self.address])
        if function_code == WRITE_REGISTER:
            return self._write(pdu)
        return exception_pdu(function_code, ILLEGAL_FUNCTION)

    def _read(self, pdu: bytes, *, first: int, registers: list[int]) -> bytes:
        address, count = _address_and_value(pdu)
        if count < 1 or address < first or address + count > first + len(registers):
            return exception_pdu(pdu[0], ILLEGAL_ADDRESS)
        return registers_pdu(pdu[0], registers[address - first : address - first + count])

    def _write(self, pdu: bytes) -> bytes:
        address, value = _address_and_value(pdu)
        bounds = dict(zip(self.HOLDING_REGISTERS, (ALARM_THRESHOLD_RANGE, ADDRESS_RANGE), strict=True))
        if address not in bounds:
            return exception_pdu(pdu[0], ILLEGAL_ADDRESS)
        low, high = bounds[address]
        if not low <= value <= high:
            return exception_pdu(pdu[0], ILLEGAL_VALUE)
        # The echo leaves from the old address; the new one applies from the next request on.
        if address == self.HOLDING_REGISTERS[0]:
            self.alarm_threshold_w = value
        else:
            self.address = value
        return pdu

    def _refresh(self) -> None:
        now = self._site.now()
        if now - self._sampled_at < REFRESH_S:
            return
        energy = self._energy_wh + self._site.circuit_energy_wh(start=self._sampled_at, end=now)
        self._energy_wh = energy % self.ENERGY_WRAP_WH
        self._sample = self._site.circuit_sample(at=now)
        self._frequency = self._site.frequency(at=now)
        self._sampled_at = now
