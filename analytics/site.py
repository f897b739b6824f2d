"""A client's site seen from its devices' roles: the energy balance a solar owner reads, the net-metering
bill estimate and the PRODIST voltage conformity of a month.

Roles (Device.role)
- grid: the meter at the connection to the distributor; its import is consumption from the grid, its export
  is injection. Several grid meters (several connections) add up.
- generation: a meter on an inverter's output. What it sends out is generation; it counts the energy as its
  export (the sign convention seen from the grid). A meter wired the other way round counts it as import,
  so a generation meter with no export at all over the range counts its import.
- load: a circuit; not part of the balance.

Balance per period
- self-consumption = generation - export (the generated energy the site used itself, never below 0);
- consumption = import + self-consumption (what the site used, from either source);
- self-sufficiency = self-consumption / consumption (the share of use covered by its own generation).
Without a generation meter, generation, self-consumption and self-sufficiency are None: the grid meter alone
tells import from export, not what was generated.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

PHASE_VOLTAGES = ("voltage_l1", "voltage_l2", "voltage_l3")


def _summed(*, devices: Sequence[Sequence[dict]], key: str, length: int) -> list[float]:
    totals = [0.0] * length
    for rows in devices:
        for index, row in enumerate(rows):
            totals[index] += row[key]
    return totals


def _generated(*, rows: Sequence[dict]) -> list[float]:
    key = "export_kwh" if any(row["export_kwh"] > 0 for row in rows) else "import_kwh"
    return [row[key] for row in rows]


def energy_balance(*, grid: Sequence[Sequence[dict]], generation: Sequence[Sequence[dict]]) -> list[dict]:
    """Per period, from the energy_per_period rows of each grid and each generation device (all over the
    same periods): import, export, generation, self-consumption, consumption and self-sufficiency."""
    template = next(iter([*grid, *generation]), [])
    length = len(template)
    imported = _summed(devices=grid, key="import_kwh", length=length)
    exported = _summed(devices=grid, key="export_kwh", length=length)
    generated = [sum(values) for values in zip(*[_generated(rows=rows) for rows in generation], strict=True)]
    balance = []
    for index, row in enumerate(template):
        period = {"period": row["period"], "import_kwh": imported[index], "export_kwh": exported[index]}
        period |= _solar_shares(
            imported=imported[index],
            exported=exported[index],
            generated=generated[index] if generation else None,
        )
        balance.append(period)
    return balance


def _solar_shares(*, imported: float, exported: float, generated: float | None) -> dict:
    if generated is None:
        return {
            "generation_kwh": None,
            "self_consumption_kwh": None,
            "consumption_kwh": None,
            "self_sufficiency": None,
        }
    self_consumed = max(generated - exported, 0.0)
    consumption = imported + self_consumed
    return {
        "generation_kwh": generated,
        "self_consumption_kwh": self_consumed,
        "consumption_kwh": consumption,
        "self_sufficiency": self_consumed / consumption if consumption > 0 else None,
    }


def balance_totals(*, rows: Sequence[dict]) -> dict:
    """The balance of the whole range: sums of the periods, and the self-sufficiency of the sums."""
    imported = sum(row["import_kwh"] for row in rows)
    exported = sum(row["export_kwh"] for row in rows)
    with_generation = bool(rows) and rows[0]["generation_kwh"] is not None
    generated = sum(row["generation_kwh"] for row in rows) if with_generation else None
    totals = {"import_kwh": imported, "export_kwh": exported}
    totals |= _solar_shares(imported=imported, exported=exported, generated=generated)
    if with_generation:
        # Per period, self-consumption is floored at 0; the total is their sum, not the floor of the sums.
        totals["self_consumption_kwh"] = sum(row["self_consumption_kwh"] for row in rows)
        totals["consumption_kwh"] = imported + totals["self_consumption_kwh"]
        consumption = totals["consumption_kwh"]
        totals["self_sufficiency"] = totals["self_consumption_kwh"] / consumption if consumption > 0 else None
    return totals


def net_metering(
    *,
    import_kwh: float,
    export_kwh: float,
    consumption_kwh: float | None,
    tariff_per_kwh: float | None,
    fio_b_share: float | None,
) -> dict:
    """The month under net metering (Lei 14.300): injected kWh are credited against consumed kWh.

    compensated = min(import, export); billed = import - compensated; what is left of the export is a credit
    in kWh for the next months. With a tariff, the bill estimate: without solar the site would have paid
    its whole consumption; with solar it pays the billed kWh, plus on every compensated kWh the share of the
    tariff that the law still charges (the "Fio B" share, 0 to 1). The distributor's minimum charge
    (custo de disponibilidade), taxes and tariff flags are left out.
    """
    compensated = min(import_kwh, export_kwh)
    balance = {
        "compensated_kwh": compensated,
        "billed_kwh": import_kwh - compensated,
        "credit_kwh": export_kwh - compensated,
        "bill_without_solar": None,
        "bill_with_solar": None,
        "savings": None,
    }
    if tariff_per_kwh is None:
        return balance
    used = consumption_kwh if consumption_kwh is not None else import_kwh
    with_solar = (import_kwh - compensated) * tariff_per_kwh + compensated * tariff_per_kwh * (
        fio_b_share or 0.0
    )
    balance |= {
        "bill_without_solar": used * tariff_per_kwh,
        "bill_with_solar": with_solar,
        "savings": used * tariff_per_kwh - with_solar,
    }
    return balance


def month_bounds(*, year: int, month: int, zone) -> tuple[datetime, datetime]:
    """The month's first and next month's first midnight in `zone` (a ZoneInfo)."""
    start = datetime(year, month, 1, tzinfo=zone)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, following
