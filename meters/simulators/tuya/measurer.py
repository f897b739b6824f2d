"""The simulated device's metering chip: samples the shared Brazilian site model and integrates its energy
between samples."""

from meters.simulators.site import SiteModel, local_hour
from meters.simulators.tuya.dps import DeviceKind, Reading

ADD_ELE_REPORT_S = 1800  # plugs hand their energy increment to the cloud every 30 min, then restart it


# Counters of a meter that has been in service for a while.
INITIAL_COUNTERS_KWH = {"import": 1523.46, "export": 842.17, "pv": 3107.55}


def _quantized(value: float, *, per_unit: int) -> float:
    return round(value * per_unit) / per_unit


class Measurer:
    """The device's metering chip: samples the site, and integrates its energy between samples."""

    def __init__(self, *, kind: DeviceKind, site: SiteModel):
        self.kind = kind
        self.site = site
        self.switch = True if kind.relay_dp else None
        self.counters = {**INITIAL_COUNTERS_KWH, "add_ele": 0.0}
        self.sampled_at = site.now()
        self.reading = self._measure(at=self.sampled_at)

    def refresh(self) -> None:
        now = self.site.now()
        self._integrate(start=self.sampled_at, end=now)
        self.sampled_at = now
        self.reading = self._measure(at=now)

    def switch_set(self, *, on: bool) -> None:
        self.refresh()  # energy used until now was used with the relay as it was
        self.switch = on
        self.reading = self._measure(at=self.sampled_at)

    def _integrate(self, *, start: float, end: float) -> None:
        if end <= start:
            return
        if end // ADD_ELE_REPORT_S != start // ADD_ELE_REPORT_S:
            self.counters["add_ele"] = 0.0
        if not self.kind.on_grid:
            if self.switch:
                self.counters["add_ele"] += self.site.circuit_energy_wh(start=start, end=end) / 1000
            return
        flows = self.site.grid_flows(start=start, end=end)
        self.counters["import"] += flows.import_wh[0] / 1000
        self.counters["export"] += flows.export_wh[0] / 1000
        solar_w = self.site.profile.solar_w(hour=local_hour((start + end) / 2))
        self.counters["pv"] += solar_w * (end - start) / 3_600_000

    def _measure(self, *, at: float) -> Reading:
        if self.kind.on_grid:
            grid = self.site.grid_sample(at=at)
            phase, frequency = grid.phases[0], grid.frequency
            solar_w = self.site.profile.solar_w(hour=local_hour(at))
        else:
            phase, frequency, solar_w = self.site.circuit_sample(at=at), self.site.frequency(at=at), 0.0
        relay_open = self.switch is False
        return Reading(
            switch=self.switch,
            voltage=_quantized(phase.voltage, per_unit=10),
            current=0.0 if relay_open else _quantized(phase.current, per_unit=1000),
            power=0.0 if relay_open else _quantized(phase.power, per_unit=10),
            # The meter reports the magnitude; the direction travels in its own DP.
            power_factor=_quantized(abs(phase.power_factor), per_unit=100),
            frequency=_quantized(frequency, per_unit=100),
            energy_import=_quantized(self.counters["import"], per_unit=100),
            energy_export=_quantized(self.counters["export"], per_unit=100),
            add_ele=_quantized(self.counters["add_ele"], per_unit=1000),
            pv_power=_quantized(solar_w, per_unit=10),
            pv_current=_quantized(solar_w / phase.voltage, per_unit=1000),
            pv_energy=_quantized(self.counters["pv"], per_unit=100),
        )
