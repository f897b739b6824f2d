"""The closed metric vocabulary (docs/metering.md), as data.

Every driver converts raw values into these names and units; `meter monitor` flags a value outside its
normal range. Names outside the catalog are accepted on ingestion when they are valid (lower snake case,
at most 64 characters) and are stored as they come.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

PHASES = (1, 2, 3)
METRIC_NAME_MAX_LENGTH = 64
METRIC_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

PHASE_VOLTAGE = re.compile(r"^voltage_l[123]$")
LINE_VOLTAGE = re.compile(r"^voltage_l[123]_l[123]$")


class VoltageRange(NamedTuple):
    """PRODIST Module 8 steady-state bounds (BT). Adequate: adequate_low <= V <= adequate_high. Precarious:
    from precarious_low up to adequate_low (exclusive), or above adequate_high up to precarious_high.
    Critical: anything beyond."""

    precarious_low: float
    adequate_low: float
    adequate_high: float
    precarious_high: float


# PRODIST Module 8 (REN ANEEL 956/2021, Anexo VIII, section 8.1), nominal voltage (V) -> bounds. The ANEEL
# text itself could not be opened; these are the figures of the "qee" package (`PRODIST_M8`). For 127, 220
# and 380 V they agree with two other independent codebases; every row also agrees with the per-unit rule
# (adequate 0.92-1.05 of nominal, precarious down to 0.87 and up to 1.06, rounded to whole volts). Well
# corroborated, but not checked against the primary ANEEL text.
PRODIST_VOLTAGE_RANGES = {
    127: VoltageRange(110, 117, 133, 135),
    220: VoltageRange(191, 202, 231, 233),
    254: VoltageRange(221, 234, 267, 269),
    380: VoltageRange(331, 350, 399, 403),
    440: VoltageRange(383, 405, 462, 466),
}
# Line-to-line nominal of the system whose phase-to-neutral nominal is the key (220/127 and 380/220 V).
LINE_TO_LINE_NOMINAL = {127: 220, 220: 380}


@dataclass(frozen=True)
class NormalRange:
    """Values outside [low, high] are flagged; `of_magnitude` compares |value| (signed power factors)."""

    low: float
    high: float
    of_magnitude: bool = False

    def contains(self, value: float) -> bool:
        checked = abs(value) if self.of_magnitude else value
        return self.low <= checked <= self.high


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    meaning: str
    normal: NormalRange | None = None


FREQUENCY_NORMAL = NormalRange(59.9, 60.1)  # PRODIST steady state
# PRODIST reference power factor: 0.92 to 1.00, inductive or capacitive; the sign only tells direction.
POWER_FACTOR_NORMAL = NormalRange(0.92, 1.0, of_magnitude=True)
VOLTAGE_THD_NORMAL = NormalRange(0.0, 10.0)  # PRODIST total harmonic distortion limit for BT
ALARM_NORMAL = NormalRange(0.0, 0.0)


def _totals() -> list[Metric]:
    return [
        Metric("power", "W", "total active power, > 0 import, < 0 export"),
        Metric("apparent_power", "VA", "total apparent power"),
        Metric("reactive_power", "var", "total reactive power"),
        Metric("power_factor", "-", "total power factor, sign as the meter reports it", POWER_FACTOR_NORMAL),
        Metric("frequency", "Hz", "supply frequency", FREQUENCY_NORMAL),
        Metric("energy_import", "kWh", "imported active energy counter"),
        Metric("energy_export", "kWh", "exported active energy counter"),
        Metric("energy_total", "kWh", "import + export counter"),
        Metric("reactive_energy_import", "kvarh", "imported reactive energy counter"),
        Metric("reactive_energy_export", "kvarh", "exported reactive energy counter"),
        Metric("power_demand", "W", "demand over the meter's integration window"),
        Metric("power_demand_max", "W", "maximum demand since reset"),
        Metric("current_n", "A", "neutral current"),
    ]


def _per_phase(n: int) -> list[Metric]:
    return [
        Metric(f"voltage_l{n}", "V", f"phase {n} to neutral voltage"),
        Metric(f"current_l{n}", "A", f"phase {n} line current"),
        Metric(f"power_l{n}", "W", f"phase {n} active power, signed as power"),
        Metric(f"apparent_power_l{n}", "VA", f"phase {n} apparent power"),
        Metric(f"reactive_power_l{n}", "var", f"phase {n} reactive power"),
        Metric(f"power_factor_l{n}", "-", f"phase {n} power factor", POWER_FACTOR_NORMAL),
        Metric(f"phase_angle_l{n}", "degree", f"phase {n} phase angle"),
        Metric(f"thd_voltage_l{n}", "%", f"phase {n} voltage total harmonic distortion", VOLTAGE_THD_NORMAL),
        Metric(f"thd_current_l{n}", "%", f"phase {n} current total harmonic distortion"),
        Metric(f"energy_import_l{n}", "kWh", f"phase {n} imported active energy counter"),
        Metric(f"energy_export_l{n}", "kWh", f"phase {n} exported active energy counter"),
    ]


def _line_to_line() -> list[Metric]:
    pairs = ((1, 2), (2, 3), (3, 1))
    return [Metric(f"voltage_l{a}_l{b}", "V", f"line {a} to line {b} voltage") for a, b in pairs]


def _device_state() -> list[Metric]:
    return [
        Metric("alarm", "0/1", "the meter's own alarm output", ALARM_NORMAL),
        Metric("switch", "0/1", "relay state"),
    ]


CATALOG: dict[str, Metric] = {
    metric.name: metric
    for metric in _totals()
    + [metric for n in PHASES for metric in _per_phase(n)]
    + _line_to_line()
    + _device_state()
}


def metric_unit(name: str) -> str | None:
    """The catalog unit of `name`; None for a custom metric, whose unit we do not know."""
    metric = CATALOG.get(name)
    return metric.unit if metric else None


def metric_name_is_valid(name: str) -> bool:
    return len(name) <= METRIC_NAME_MAX_LENGTH and bool(METRIC_NAME_PATTERN.match(name))


def metric_normal_range(*, name: str, nominal_voltage: int = 127) -> NormalRange | None:
    """The range `meter monitor` accepts for `name`; voltages follow PRODIST for the site's nominal voltage.

    `nominal_voltage` is the phase-to-neutral nominal (127 V on a 220/127 V system).
    """
    voltage = metric_voltage_range(name=name, nominal_voltage=nominal_voltage)
    if voltage is not None:
        return NormalRange(float(voltage.adequate_low), float(voltage.adequate_high))
    metric = CATALOG.get(name)
    return metric.normal if metric else None


def metric_voltage_range(*, name: str, nominal_voltage: int) -> VoltageRange | None:
    """PRODIST's bounds for a voltage metric: phase voltages at the phase-to-neutral nominal, line-to-line
    ones at the system's line voltage; None for any other metric."""
    if PHASE_VOLTAGE.match(name):
        return PRODIST_VOLTAGE_RANGES[nominal_voltage]
    if LINE_VOLTAGE.match(name):
        return PRODIST_VOLTAGE_RANGES[LINE_TO_LINE_NOMINAL[nominal_voltage]]
    return None


# What people call each metric, in the page's language, and the group a page shows it in. Per-phase and
# line-to-line names are composed from a base label and their phases.
_TOTAL_LABELS = {
    "power": (_("Active power"), "power"),
    "apparent_power": (_("Apparent power"), "power"),
    "reactive_power": (_("Reactive power"), "power"),
    "power_factor": (_("Power factor"), "quality"),
    "frequency": (_("Frequency"), "quality"),
    "energy_import": (_("Energy imported"), "energy"),
    "energy_export": (_("Energy exported"), "energy"),
    "energy_total": (_("Energy total"), "energy"),
    "reactive_energy_import": (_("Reactive energy imported"), "energy"),
    "reactive_energy_export": (_("Reactive energy exported"), "energy"),
    "power_demand": (_("Demand"), "power"),
    "power_demand_max": (_("Maximum demand"), "power"),
    "current_n": (_("Neutral current"), "current"),
    "alarm": (_("Meter alarm"), "state"),
    "switch": (_("Relay"), "state"),
}
_PHASE_LABELS = {
    "voltage": (_("Voltage"), "voltage"),
    "current": (_("Current"), "current"),
    "power": (_("Active power"), "power"),
    "apparent_power": (_("Apparent power"), "power"),
    "reactive_power": (_("Reactive power"), "power"),
    "power_factor": (_("Power factor"), "quality"),
    "phase_angle": (_("Phase angle"), "quality"),
    "thd_voltage": (_("Voltage THD"), "quality"),
    "thd_current": (_("Current THD"), "quality"),
    "energy_import": (_("Energy imported"), "energy"),
    "energy_export": (_("Energy exported"), "energy"),
}
PER_PHASE_NAME = re.compile(r"^(?P<base>[a-z_]+)_l(?P<phase>[123])$")
LINE_TO_LINE_NAME = re.compile(r"^voltage_l(?P<a>[123])_l(?P<b>[123])$")
METRIC_GROUPS = {
    "voltage": _("Voltages"),
    "current": _("Currents"),
    "power": _("Power"),
    "energy": _("Energy"),
    "quality": _("Quality"),
    "state": _("State"),
    "other": _("Other"),
}
# Decimal places a value is shown with, by unit.
UNIT_DECIMALS = {
    "V": 1,
    "A": 2,
    "W": 0,
    "VA": 0,
    "var": 0,
    "kWh": 2,
    "kvarh": 2,
    "Hz": 2,
    "-": 2,
    "%": 1,
    "degree": 1,
}
UNIT_SYMBOLS = {"degree": "°", "-": "", "0/1": ""}


def metric_label(name: str) -> tuple[str, str]:
    """(label, group) of a metric in the active language; a custom metric is labelled with its name."""
    if name in _TOTAL_LABELS:
        label, group = _TOTAL_LABELS[name]
        return str(label), group
    if match := LINE_TO_LINE_NAME.match(name):
        return f"{_('Voltage')} L{match['a']}-L{match['b']}", "voltage"
    if (match := PER_PHASE_NAME.match(name)) and match["base"] in _PHASE_LABELS:
        label, group = _PHASE_LABELS[match["base"]]
        return f"{label} L{match['phase']}", group
    return name, "other"


def metric_display(name: str, value: float) -> str:
    """The value with its unit as a page shows it, in the active language's number format (`127,4 V`)."""
    unit = metric_unit(name)
    decimals = UNIT_DECIMALS.get(unit, 2)
    # number_format cuts extra decimals off; round first so 127.45 shows as 127,5.
    shown = number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    symbol = UNIT_SYMBOLS.get(unit, unit) if unit is not None else ""
    return f"{shown} {symbol}".rstrip() if symbol != "°" else f"{shown}°"
