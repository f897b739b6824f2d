"""The data points a simulated Tuya device reports: one layout per kind of device, written from the device's
side on purpose, independently of meters.drivers.tuya_presets, so that a wrong scale in a preset fails the
tests instead of cancelling out."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    """One measurement, already rounded to the resolution the device's DPs carry."""

    switch: bool | None  # None: the device has no relay
    voltage: float  # V
    current: float  # A
    power: float  # W, > 0 taken from the grid, < 0 sent to it
    power_factor: float
    frequency: float  # Hz
    energy_import: float = 0.0  # kWh counter
    energy_export: float = 0.0  # kWh counter
    add_ele: float = 0.0  # kWh used since the last cloud report (plugs' DP 17)
    pv_power: float = 0.0  # W on the dual meter's channel B
    pv_current: float = 0.0  # A
    pv_energy: float = 0.0  # kWh


@dataclass(frozen=True)
class DeviceKind:
    layout: Callable[[Reading], dict]
    relay_dp: str | None
    # What the device measures on the site: phase L1 of the grid connection, or the 127 V circuit.
    on_grid: bool


def _plug_v33_dps(reading: Reading) -> dict:
    return {
        "1": reading.switch,
        "9": 0,
        "17": round(reading.add_ele * 1000),  # 0.001 kWh, an increment, not a counter
        "18": round(reading.current * 1000),  # mA
        "19": round(reading.power * 10),  # 0.1 W
        "20": round(reading.voltage * 10),  # 0.1 V
        # Test bit, the factory's voltage/current/power/energy calibration, no fault.
        **{"21": 1, "22": 622, "23": 30140, "24": 17320, "25": 1170, "26": 0},
    }


def _plug_v31_dps(reading: Reading) -> dict:
    return {
        "1": reading.switch,
        "2": 0,
        "4": round(reading.current * 1000),  # mA
        "5": round(reading.power * 10),  # 0.1 W
        "6": round(reading.voltage * 10),  # 0.1 V
    }


def _dual_meter_dps(reading: Reading) -> dict:
    # Channel A clamps the grid; channel B the PV inverter output, which the installer oriented FORWARD.
    return {
        # Totals of both channels, as tinytuya's Contrib/WiFiDualMeterDevice places them (0.01 kWh).
        "1": round((reading.energy_import + reading.pv_energy) * 100),
        "2": round(reading.energy_export * 100),
        "101": round(abs(reading.power) * 10),  # 0.1 W, unsigned
        "102": "FORWARD" if reading.power >= 0 else "REVERSE",
        "104": "FORWARD",
        "105": round(reading.pv_power * 10),
        "106": round(reading.energy_import * 100),  # 0.01 kWh
        "107": round(reading.energy_export * 100),
        "108": round(reading.pv_energy * 100),
        "109": 0,
        "110": round(reading.power_factor * 100),
        "111": round(reading.frequency * 100),  # 0.01 Hz
        "112": round(reading.voltage * 10),  # 0.1 V
        "113": round(reading.current * 1000),  # mA
        "114": round(reading.pv_current * 1000),
        "121": 99 if reading.pv_power else 0,
        "129": 10,  # report rate, s
    }


DEVICE_KINDS: dict[str, DeviceKind] = {
    "plug_v33": DeviceKind(layout=_plug_v33_dps, relay_dp="1", on_grid=False),
    "plug_v31": DeviceKind(layout=_plug_v31_dps, relay_dp="1", on_grid=False),
    "dual_meter": DeviceKind(layout=_dual_meter_dps, relay_dp=None, on_grid=True),
}
