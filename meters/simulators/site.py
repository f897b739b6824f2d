"""A Brazilian site that the simulated meters measure: a 220/127 V, 60 Hz three-phase connection with a
morning and an evening load peak and a rooftop solar inverter that exports at midday, plus one 127 V
circuit (what a PZEM-004T on a room's outlet sees).

Time drives everything: a clock gives epoch seconds, so tests can freeze time or run a day in seconds.
The smooth profiles are pure functions of the local hour; instantaneous samples add noise around them,
and counters integrate the profiles over the clock's elapsed time, so they rise consistently with power.
"""

import cmath
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

Clock = Callable[[], float]

# Brazil has kept standard time all year since 2019: Sao Paulo is UTC-3 without daylight saving.
SITE_TIMEZONE = timezone(timedelta(hours=-3))
PHASE_ANGLES = (0.0, -120.0, 120.0)
INTEGRATION_STEP_S = 60.0
LOAD_POWER_FACTOR = 0.94  # inductive household and small-business load; the inverter runs at unity


def clock_scaled(*, start: float | None = None, factor: float = 1.0) -> Clock:
    """Epoch seconds that start at `start` (now by default) and run `factor` times faster than real time."""
    origin = time.time() if start is None else start
    real_origin = time.monotonic()
    return lambda: origin + (time.monotonic() - real_origin) * factor


def local_hour(at: float) -> float:
    moment = datetime.fromtimestamp(at, SITE_TIMEZONE)
    return moment.hour + moment.minute / 60 + moment.second / 3600


def _bump(hour: float, *, center: float, width: float) -> float:
    return math.exp(-(((hour - center) / width) ** 2))


@dataclass(frozen=True)
class SiteProfile:
    """Smooth, noise-free behaviour of the site; per-phase figures are for L1, L2, L3."""

    nominal_voltage: float = 127.0
    base_load_w: tuple[float, float, float] = (420.0, 330.0, 260.0)
    morning_peak_w: tuple[float, float, float] = (900.0, 650.0, 450.0)
    evening_peak_w: tuple[float, float, float] = (2300.0, 1800.0, 1300.0)
    solar_peak_w_per_phase: float = 2500.0  # a 7.5 kWp three-phase inverter
    circuit_base_w: float = 90.0  # the PZEM's circuit: a fridge, standby loads...
    circuit_evening_w: float = 650.0  # ... then lights, TV and a microwave in the evening
    circuit_power_factor: float = 0.95

    def load_w(self, *, hour: float, phase: int) -> float:
        index = phase - 1
        return (
            self.base_load_w[index]
            + self.morning_peak_w[index] * _bump(hour, center=7.0, width=1.2)
            + self.evening_peak_w[index] * _bump(hour, center=19.5, width=1.8)
        )

    def solar_w(self, *, hour: float) -> float:
        if not 6.0 < hour < 18.0:
            return 0.0
        return self.solar_peak_w_per_phase * math.sin(math.pi * (hour - 6.0) / 12.0) ** 1.5

    def evening_share(self, *, hour: float) -> float:
        return _bump(hour, center=19.5, width=1.8)

    def circuit_w(self, *, hour: float) -> float:
        return self.circuit_base_w + self.circuit_evening_w * _bump(hour, center=20.0, width=1.5)


@dataclass(frozen=True)
class PhaseSample:
    voltage: float
    current: float
    power: float
    apparent_power: float
    reactive_power: float
    power_factor: float
    phase_angle: float
    thd_voltage: float
    thd_current: float


@dataclass(frozen=True)
class GridSample:
    at: float
    frequency: float
    phases: tuple[PhaseSample, PhaseSample, PhaseSample]
    voltage_line_to_line: tuple[float, float, float]  # L1-L2, L2-L3, L3-L1
    current_n: float


@dataclass(frozen=True)
class GridFlows:
    """Energy that flowed between two instants, per phase for active energy (Wh and varh)."""

    import_wh: tuple[float, float, float]
    export_wh: tuple[float, float, float]
    # The load is inductive and the inverter runs at unity: reactive energy only ever flows in.
    reactive_import_varh: float


def phase_sample(
    *,
    load_w: float,
    solar_w: float,
    voltage: float,
    load_power_factor: float,
    thd_voltage: float,
    thd_current: float,
) -> PhaseSample:
    """A phase where the load draws at `load_power_factor` and the inverter injects at unity: P = V·I·PF."""
    power = load_w - solar_w
    reactive = load_w * math.tan(math.acos(load_power_factor))
    apparent = math.hypot(power, reactive)
    return PhaseSample(
        voltage=voltage,
        current=apparent / voltage,
        power=power,
        apparent_power=apparent,
        reactive_power=reactive,
        # Signed like power, as the SDM630 does: negative while the phase exports.
        power_factor=power / apparent if apparent else 1.0,
        phase_angle=math.degrees(math.atan2(reactive, power)),
        thd_voltage=thd_voltage,
        thd_current=thd_current,
    )


def line_to_line_voltages(voltages: tuple[float, float, float]) -> tuple[float, float, float]:
    phasors = [cmath.rect(v, math.radians(angle)) for v, angle in zip(voltages, PHASE_ANGLES, strict=True)]
    return tuple(abs(phasors[k] - phasors[(k + 1) % 3]) for k in range(3))


def neutral_current(phases: tuple[PhaseSample, ...]) -> float:
    """|I1 + I2 + I3| as phasors, with I = conj(S / V) on each phase."""
    total = 0j
    for sample, angle in zip(phases, PHASE_ANGLES, strict=True):
        voltage = cmath.rect(sample.voltage, math.radians(angle))
        total += (complex(sample.power, sample.reactive_power) / voltage).conjugate()
    return abs(total)


class SiteModel:
    def __init__(
        self, *, clock: Clock | None = None, seed: int | None = None, profile: SiteProfile | None = None
    ):
        self.clock = clock or clock_scaled()
        self.profile = profile or SiteProfile()
        self._rng = random.Random(seed)

    def now(self) -> float:
        return self.clock()

    def grid_sample(self, *, at: float) -> GridSample:
        hour = local_hour(at)
        solar = self.profile.solar_w(hour=hour)
        phases = tuple(self._phase_sample(hour=hour, phase=phase, solar=solar) for phase in (1, 2, 3))
        return GridSample(
            at=at,
            frequency=self.frequency(at=at),
            phases=phases,
            voltage_line_to_line=line_to_line_voltages(tuple(sample.voltage for sample in phases)),
            current_n=neutral_current(phases),
        )

    def circuit_sample(self, *, at: float) -> PhaseSample:
        hour = local_hour(at)
        load = self.profile.circuit_w(hour=hour) * self._rng.gauss(1.0, 0.03)
        return phase_sample(
            load_w=load,
            solar_w=0.0,
            voltage=self._voltage(hour=hour, offset=0.0),
            load_power_factor=self.profile.circuit_power_factor,
            thd_voltage=0.0,
            thd_current=0.0,
        )

    def grid_flows(self, *, start: float, end: float) -> GridFlows:
        imported, exported = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
        reactive_import = 0.0
        for moment, hours in _integration_steps(start=start, end=end):
            hour = local_hour(moment)
            solar = self.profile.solar_w(hour=hour)
            for index in range(3):
                load = self.profile.load_w(hour=hour, phase=index + 1)
                # Each phase counts its own flow: the meter does not net one phase against another.
                imported[index] += max(load - solar, 0.0) * hours
                exported[index] += max(solar - load, 0.0) * hours
                reactive_import += load * math.tan(math.acos(LOAD_POWER_FACTOR)) * hours
        return GridFlows(tuple(imported), tuple(exported), reactive_import)

    def grid_demand(self, *, at: float, window_s: float) -> float:
        """Mean total active power over the window that ends at `at` (import - export, so signed)."""
        energy_wh = 0.0
        for moment, hours in _integration_steps(start=at - window_s, end=at):
            hour = local_hour(moment)
            solar = self.profile.solar_w(hour=hour)
            energy_wh += sum(self.profile.load_w(hour=hour, phase=p) - solar for p in (1, 2, 3)) * hours
        return energy_wh / (window_s / 3600)

    def circuit_energy_wh(self, *, start: float, end: float) -> float:
        return sum(
            self.profile.circuit_w(hour=local_hour(moment)) * hours
            for moment, hours in _integration_steps(start=start, end=end)
        )

    def _phase_sample(self, *, hour: float, phase: int, solar: float) -> PhaseSample:
        load = self.profile.load_w(hour=hour, phase=phase) * self._rng.gauss(1.0, 0.03)
        evening = self.profile.evening_share(hour=hour)
        return phase_sample(
            load_w=load,
            solar_w=solar * self._rng.gauss(1.0, 0.01),
            voltage=self._voltage(hour=hour, offset=(0.6, -0.4, 0.2)[phase - 1]),
            load_power_factor=LOAD_POWER_FACTOR,
            thd_voltage=max(0.0, 1.8 + 1.2 * evening + self._rng.gauss(0.0, 0.1)),
            thd_current=max(0.0, 6.0 + 25.0 * 150.0 / (150.0 + load) + self._rng.gauss(0.0, 0.5)),
        )

    def _voltage(self, *, hour: float, offset: float) -> float:
        # Solar injection lifts the feeder's voltage at midday; the evening peak pulls it down.
        solar_share = self.profile.solar_w(hour=hour) / self.profile.solar_peak_w_per_phase
        evening = self.profile.evening_share(hour=hour)
        nominal = self.profile.nominal_voltage
        return nominal + offset + 2.5 * solar_share - 3.5 * evening + self._rng.gauss(0.0, 0.4)

    def frequency(self, *, at: float) -> float:
        wander = 0.015 * math.sin(2 * math.pi * at / 900.0)
        return min(60.05, max(59.95, 60.0 + wander + self._rng.gauss(0.0, 0.005)))


def _integration_steps(*, start: float, end: float) -> list[tuple[float, float]]:
    """Midpoints and lengths (in hours) of steps of at most INTEGRATION_STEP_S covering [start, end]."""
    if end <= start:
        return []
    count = math.ceil((end - start) / INTEGRATION_STEP_S)
    step = (end - start) / count
    return [(start + (k + 0.5) * step, step / 3600) for k in range(count)]
