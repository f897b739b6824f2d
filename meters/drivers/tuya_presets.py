"""Tuya data points (DPs) to catalog metrics, one preset per family of devices.

A Tuya device reports a flat dict of DP ids to raw values (``{"1": true, "19": 1123}``); what each DP
means and how it is scaled is product-specific, so a device names its preset in its config.
Raw integers are divided by the field's ``divisor`` to land in catalog units (docs/metering.md).

Decisions where sources disagree (docs/metering.md):

- DP 17 ``add_ele`` is **not decoded**. On the plugs these presets cover it is the energy used since
  the plug's last cloud report, reset after every report (tuya-local and tinytuya maintainers, jasonacox/
  tinytuya#282), not a counter. Mapping it to ``energy_import`` would make every report look like a meter
  reset. Energy for these plugs is integrated from ``power`` downstream.
- Plug power and voltage are raw/10 (0.1 W, 0.1 V) and current is mA: the common case
  (tinytuya README, localtuya, tuya-local). Products with other scales need their own preset.
- ``dual_meter`` is the WiFi bidirectional clamp meter of tinytuya's ``Contrib/WiFiDualMeterDevice``.
  Channel A is the grid clamp: its power is unsigned and signed here from its direction DP
  (FORWARD = from the grid = positive). Energy counters come from channel A (DPs 106/107) because
  the "total" DPs are placed at 1/2 by tinytuya but at 130/131 by Gladys' mapping of the same meter,
  and channel B (often a PV feed) is not the grid. Energy is in 0.01 kWh as tinytuya has it; one user's
  meter of this kind reports 0.0001 kWh, and would need a preset of its own.

Cloud mode (tinytuya.Cloud ``getstatus``) returns the same raw values named by status codes instead of
DP ids; ``tuya_dps_from_cloud`` maps them back so one decoder serves both modes.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from meters.errors import MalformedResponse


@dataclass(frozen=True)
class TuyaField:
    """One DP and the catalog metrics it feeds: metric = raw / divisor."""

    dp: str
    metrics: tuple[str, ...]
    divisor: int = 1
    # A relay DP: the device sends true/false, decoded as 1.0/0.0.
    boolean: bool = False
    # An enum DP giving the flow direction of this (unsigned) value; "REVERSE" means towards the grid.
    direction_dp: str | None = None


@dataclass(frozen=True)
class TuyaPreset:
    name: str
    description: str
    fields: tuple[TuyaField, ...]
    # Cloud status code -> DP id. Several codes may carry one DP across product generations.
    cloud_codes: Mapping[str, str]
    # DPs some firmwares refresh only when asked with UPDATEDPS (tinytuya examples/getstatus.py).
    refresh_dps: tuple[int, ...] = ()


_PLUG_CLOUD_CODES = {"switch_1": "1", "switch": "1"}

PRESETS: dict[str, TuyaPreset] = {
    preset.name: preset
    for preset in (
        TuyaPreset(
            name="plug_v33",
            description="Smart plug with energy monitoring, DPs 18-20 (most 3.3+ plugs)",
            fields=(
                TuyaField(dp="1", metrics=("switch",), boolean=True),
                TuyaField(dp="18", metrics=("current_l1",), divisor=1000),  # mA
                TuyaField(dp="19", metrics=("power", "power_l1"), divisor=10),  # 0.1 W
                TuyaField(dp="20", metrics=("voltage_l1",), divisor=10),  # 0.1 V
            ),
            cloud_codes={**_PLUG_CLOUD_CODES, "cur_current": "18", "cur_power": "19", "cur_voltage": "20"},
            refresh_dps=(18, 19, 20),
        ),
        TuyaPreset(
            name="plug_v31",
            description="Older smart plug with energy monitoring, DPs 4-6 (protocol 3.1 firmwares)",
            fields=(
                TuyaField(dp="1", metrics=("switch",), boolean=True),
                TuyaField(dp="4", metrics=("current_l1",), divisor=1000),  # mA
                TuyaField(dp="5", metrics=("power", "power_l1"), divisor=10),  # 0.1 W
                TuyaField(dp="6", metrics=("voltage_l1",), divisor=10),  # 0.1 V
            ),
            cloud_codes={**_PLUG_CLOUD_CODES, "cur_current": "4", "cur_power": "5", "cur_voltage": "6"},
        ),
        TuyaPreset(
            name="dual_meter",
            description="WiFi bidirectional clamp meter (PJ1103A type), channel A on the grid",
            fields=(
                TuyaField(dp="101", metrics=("power", "power_l1"), divisor=10, direction_dp="102"),  # 0.1 W
                TuyaField(dp="106", metrics=("energy_import",), divisor=100),  # 0.01 kWh
                TuyaField(dp="107", metrics=("energy_export",), divisor=100),  # 0.01 kWh
                TuyaField(dp="110", metrics=("power_factor", "power_factor_l1"), divisor=100),
                TuyaField(dp="111", metrics=("frequency",), divisor=100),  # 0.01 Hz
                TuyaField(dp="112", metrics=("voltage_l1",), divisor=10),  # 0.1 V
                TuyaField(dp="113", metrics=("current_l1",), divisor=1000),  # mA
            ),
            # The cloud codes of this meter carry Tuya's own typos ("forword").
            cloud_codes={
                "power_a": "101",
                "direction_a": "102",
                "energy_forword_a": "106",
                "energy_reverse_a": "107",
                "power_factor": "110",
                "freq": "111",
                "voltage_a": "112",
                "current_a": "113",
            },
        ),
    )
}

_DIRECTION_SIGNS = {"FORWARD": 1, "REVERSE": -1}


def tuya_preset(*, name: str) -> TuyaPreset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown Tuya preset {name!r}; known: {', '.join(PRESETS)}") from None


def tuya_decode(*, preset: str, dps: dict) -> dict[str, float]:
    """Catalog metrics from a DP dict; DPs the device did not send are left out, never guessed."""
    metrics: dict[str, float] = {}
    for point in tuya_preset(name=preset).fields:
        if point.dp not in dps:
            continue
        value = _field_value(point=point, dps=dps)
        metrics |= dict.fromkeys(point.metrics, value)
    return metrics


def tuya_dps_from_cloud(*, preset: str, status: list[dict]) -> dict[str, object]:
    """DP dict from a cloud ``getstatus`` result list of ``{"code": ..., "value": ...}``."""
    codes = tuya_preset(name=preset).cloud_codes
    return {codes[item["code"]]: item["value"] for item in status if item.get("code") in codes}


def _field_value(*, point: TuyaField, dps: dict) -> float:
    raw = dps[point.dp]
    # bool is a subclass of int, so check the exact kind the DP must have.
    if isinstance(raw, bool) != point.boolean or not isinstance(raw, int):
        kind = "true or false" if point.boolean else "a whole number"
        raise MalformedResponse(f"Tuya DP {point.dp} should be {kind}, got {raw!r}")
    value = raw / point.divisor
    if point.direction_dp is None:
        return float(value)
    return value * _direction_sign(dp=point.direction_dp, dps=dps)


def _direction_sign(*, dp: str, dps: dict) -> int:
    direction = dps.get(dp)
    if direction not in _DIRECTION_SIGNS:
        raise MalformedResponse(f"Tuya direction DP {dp} should be FORWARD or REVERSE, got {direction!r}")
    return _DIRECTION_SIGNS[direction]
