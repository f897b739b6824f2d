"""The server-built figures: import up and export down, the PRODIST ranges shaded behind the voltages,
labels and numbers in the page's language, wall times of the client's zone, long series thinned."""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.utils import timezone, translation

from analytics.figures import MAX_POINTS, consumption_injection_figure, power_figure, voltage_figure

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")
NOON_UTC = datetime(2026, 1, 5, 15, tzinfo=UTC)


def test_consumption_goes_up_and_injection_down_in_portuguese():
    rows = [{"period": NOON_UTC, "import_kwh": 2.5, "export_kwh": 1.5}]

    with translation.override("pt-br"), timezone.override(SAO_PAULO):
        figure = consumption_injection_figure(rows=rows, interval="hour")

    imported, exported = figure["data"]
    assert (imported["name"], imported["y"]) == ("Consumo da rede", [2.5])
    assert (exported["name"], exported["y"]) == ("Injeção na rede", [-1.5])
    assert imported["x"] == ["2026-01-05 12:00:00"]
    assert figure["layout"]["barmode"] == "relative"
    assert figure["layout"]["separators"] == ",."


def test_voltages_are_drawn_over_the_prodist_ranges_of_their_nominal():
    with timezone.override(SAO_PAULO):
        figure = voltage_figure(series={"L1": [(NOON_UTC, 127.4)]}, nominal=127)

    bands = sorted((shape["y0"], shape["y1"]) for shape in figure["layout"]["shapes"])
    assert bands == [(110, 117), (117, 133), (133, 135)]


def test_a_year_of_readings_is_thinned_to_what_a_chart_can_show():
    points = [(NOON_UTC + timedelta(seconds=30 * n), float(n)) for n in range(100_000)]

    with timezone.override(SAO_PAULO):
        figure = power_figure(points=points)

    (trace,) = figure["data"]
    assert MAX_POINTS / 2 < len(trace["y"]) <= MAX_POINTS
    assert trace["y"][0] == 0.0
