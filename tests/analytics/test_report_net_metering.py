"""Net metering of a month: injected kWh credited against consumed kWh; the bill with and without solar."""

import pytest

from analytics.site import net_metering


def test_export_below_import_is_all_compensated_and_the_fio_b_share_is_still_paid():
    balance = net_metering(
        import_kwh=300.0, export_kwh=200.0, consumption_kwh=450.0, tariff_per_kwh=1.0, fio_b_share=0.2
    )

    assert (balance["compensated_kwh"], balance["billed_kwh"], balance["credit_kwh"]) == (200.0, 100.0, 0.0)
    assert balance["bill_without_solar"] == pytest.approx(450.0)
    assert balance["bill_with_solar"] == pytest.approx(100.0 + 200.0 * 0.2)
    assert balance["savings"] == pytest.approx(450.0 - 140.0)


def test_export_above_import_leaves_a_credit_in_kwh():
    balance = net_metering(
        import_kwh=100.0, export_kwh=250.0, consumption_kwh=300.0, tariff_per_kwh=0.8, fio_b_share=None
    )

    assert (balance["compensated_kwh"], balance["billed_kwh"], balance["credit_kwh"]) == (100.0, 0.0, 150.0)
    assert balance["bill_with_solar"] == pytest.approx(0.0)


def test_without_a_tariff_there_is_no_bill_estimate():
    balance = net_metering(
        import_kwh=100.0, export_kwh=50.0, consumption_kwh=None, tariff_per_kwh=None, fio_b_share=None
    )

    assert balance["compensated_kwh"] == 50.0
    assert (balance["bill_without_solar"], balance["bill_with_solar"]) == (None, None)
