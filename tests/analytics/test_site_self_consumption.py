"""A site with a grid meter and a solar inverter's meter: self-consumption is what the site used of its own
generation, hour by hour."""

from datetime import UTC, datetime, timedelta

import pytest
from django_tenants.utils import tenant_context

from analytics.selectors import site_energy_balance
from tests.helpers.devices import device_add, readings_store

MIDNIGHT = datetime(2025, 3, 1, 3, tzinfo=UTC)  # São Paulo


def _counters(*, key: str, kwh_per_hour: list[float]) -> list[tuple[datetime, dict]]:
    readings, total = [(MIDNIGHT, {key: 1000.0})], 1000.0
    for hour, kwh in enumerate(kwh_per_hour, start=1):
        total += kwh
        readings.append((MIDNIGHT + timedelta(hours=hour), {key: total}))
    return readings


def test_a_grid_and_generation_site_computes_self_consumption_per_hour(acme):
    grid = device_add(acme, name="Entrada", role="grid")
    solar = device_add(acme, name="Inversor", role="generation")
    # Hour 1: no sun, 2 kWh from the grid. Hour 2: 3 kWh generated, 1 exported, 0.5 imported.
    # Hour 3: 4 kWh generated, all exported (the site used nothing of it).
    imports = _counters(key="energy_import", kwh_per_hour=[2.0, 0.5, 0.0])
    exports = _counters(key="energy_export", kwh_per_hour=[0.0, 1.0, 4.0])
    readings_store(acme, grid, [(ts, a | b) for (ts, a), (_, b) in zip(imports, exports, strict=True)])
    readings_store(acme, solar, _counters(key="energy_export", kwh_per_hour=[0.0, 3.0, 4.0]))

    with tenant_context(acme):
        balance = site_energy_balance(
            interval="hour", tz=acme.time_zone, start=MIDNIGHT, end=MIDNIGHT + timedelta(hours=3)
        )

    rows = balance["rows"]
    assert [row["generation_kwh"] for row in rows] == pytest.approx([0.0, 3.0, 4.0])
    assert [row["self_consumption_kwh"] for row in rows] == pytest.approx([0.0, 2.0, 0.0])
    assert [row["consumption_kwh"] for row in rows] == pytest.approx([2.0, 2.5, 0.0])
    assert rows[1]["self_sufficiency"] == pytest.approx(2.0 / 2.5)
    assert rows[2]["self_sufficiency"] is None
    totals = balance["totals"]
    assert (totals["import_kwh"], totals["export_kwh"]) == pytest.approx((2.5, 5.0))
    assert totals["self_consumption_kwh"] == pytest.approx(2.0)
    assert totals["self_sufficiency"] == pytest.approx(2.0 / 4.5)


def test_a_site_without_generation_meter_shows_import_and_export_only(acme):
    grid = device_add(acme, name="Entrada", role="grid")
    readings_store(acme, grid, _counters(key="energy_import", kwh_per_hour=[1.5, 2.5]))

    with tenant_context(acme):
        balance = site_energy_balance(
            interval="hour", tz=acme.time_zone, start=MIDNIGHT, end=MIDNIGHT + timedelta(hours=2)
        )

    assert not balance["has_generation"]
    assert [row["import_kwh"] for row in balance["rows"]] == pytest.approx([1.5, 2.5])
    assert {row["generation_kwh"] for row in balance["rows"]} == {None}
    assert balance["totals"]["self_sufficiency"] is None
