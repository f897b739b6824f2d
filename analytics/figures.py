"""Plotly figures built on the server: the portal, the public dashboard and the reports all draw these.

Each builder returns the figure as a plain dict (`{"data": [...], "layout": {...}}`), which a page embeds
with `json_script` and the vendored plotly.js draws (pieng/static/pieng/charts.js). Building the figure here
keeps labels, colours and the PRODIST bands in one place, translated on the server in the page's language.
"""

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from meters.catalog import PRODIST_VOLTAGE_RANGES

IMPORT_COLOUR = "#c0392b"
EXPORT_COLOUR = "#27ae60"
GENERATION_COLOUR = "#f39c12"
SELF_CONSUMPTION_COLOUR = "#2980b9"
POWER_COLOUR = "#34495e"
PHASE_COLOURS = ("#8e44ad", "#16a085", "#d35400")
ADEQUATE_BAND = "rgba(39, 174, 96, 0.10)"
PRECARIOUS_BAND = "rgba(243, 156, 18, 0.15)"
MAX_POINTS = 3000


def _layout(*, y_title: str, x_format: str | None = None, barmode: str | None = None) -> dict:
    layout = {
        "margin": {"l": 48, "r": 8, "t": 8, "b": 40},
        "height": 280,
        "legend": {"orientation": "h", "y": -0.2},
        "yaxis": {"title": {"text": y_title}, "zeroline": True, "gridcolor": "#e6eaee"},
        "xaxis": {"tickformat": x_format} if x_format else {},
        "hovermode": "x unified",
        # plotly's default template would ship its whole theme (several kB) with every figure.
        "template": {},
        "plot_bgcolor": "#fff",
        "separators": get_format("DECIMAL_SEPARATOR") + get_format("THOUSAND_SEPARATOR"),
    }
    if barmode:
        layout["barmode"] = barmode
    return layout


def _walls(moments: Sequence[datetime]) -> list[str]:
    """plotly.js ignores UTC offsets: it gets the wall times of the active (the client's) time zone."""
    if not moments:
        return []
    local = pd.DatetimeIndex(pd.to_datetime(moments, utc=True))
    local = local.tz_convert(timezone.get_current_timezone()).tz_localize(None)
    # Vectorised: a chart has thousands of points.
    return np.char.replace(local.to_numpy().astype("datetime64[s]").astype(str), "T", " ").tolist()


def _thinned(points: Sequence[tuple[datetime, float]]) -> Sequence[tuple[datetime, float]]:
    """At most about MAX_POINTS points per line: a chart a few hundred pixels wide shows no more, and a year
    of 30-s readings would make a page of tens of megabytes."""
    stride = -(-len(points) // MAX_POINTS)
    return points[::stride] if stride > 1 else points


def _figure(*, traces: list, layout: dict) -> dict:
    return go.Figure(data=traces, layout=layout).to_plotly_json()


def _lines_figure(*, lines: list[tuple[go.Scatter, Sequence[tuple[datetime, float]]]], layout: dict) -> dict:
    """A figure of line traces, each drawn through its points: plotly builds and checks the figure, and
    each line's thousands of times and values are set in its JSON as the plain lists that plotly would
    have copied and checked one by one (most of a device page's time)."""
    figure = _figure(traces=[trace for trace, _points in lines], layout=layout)
    for trace, (_trace, points) in zip(figure["data"], lines, strict=True):
        points = _thinned(points)
        trace["x"] = _walls([ts for ts, _value in points])
        trace["y"] = [value for _ts, value in points]
    return figure


def _x_format(interval: str) -> str:
    return {"hour": "%H:%M", "day": "%d/%m", "month": "%m/%Y"}[interval]


def consumption_injection_figure(*, rows: Sequence[dict], interval: str) -> dict:
    """Grid import as bars up, grid export (injection) as bars down, per period."""
    periods = _walls([row["period"] for row in rows])
    traces = [
        go.Bar(
            x=periods,
            y=[row["import_kwh"] for row in rows],
            name=_("Consumption from the grid"),
            marker_color=IMPORT_COLOUR,
        ),
        go.Bar(
            x=periods,
            y=[-row["export_kwh"] for row in rows],
            name=_("Injection into the grid"),
            marker_color=EXPORT_COLOUR,
        ),
    ]
    return _figure(
        traces=traces, layout=_layout(y_title="kWh", x_format=_x_format(interval), barmode="relative")
    )


def generation_figure(*, rows: Sequence[dict], interval: str) -> dict:
    """Generation per period, and the part of it the site used itself (self-consumption)."""
    periods = _walls([row["period"] for row in rows])
    traces = [
        go.Bar(
            x=periods,
            y=[row["generation_kwh"] for row in rows],
            name=_("Generation"),
            marker_color=GENERATION_COLOUR,
        ),
        go.Bar(
            x=periods,
            y=[row["self_consumption_kwh"] for row in rows],
            name=_("Self-consumption"),
            marker_color=SELF_CONSUMPTION_COLOUR,
        ),
    ]
    return _figure(
        traces=traces, layout=_layout(y_title="kWh", x_format=_x_format(interval), barmode="group")
    )


def power_figure(*, points: Sequence[tuple[datetime, float]]) -> dict:
    """Active power over time: above zero the site takes from the grid, below zero it injects."""
    trace = go.Scatter(
        name=_("Power"), mode="lines", line={"color": POWER_COLOUR, "width": 1.5}, fill="tozeroy"
    )
    return _lines_figure(lines=[(trace, points)], layout=_layout(y_title="W", x_format="%H:%M"))


def voltage_figure(*, series: dict[str, Sequence[tuple[datetime, float]]], nominal: int) -> dict:
    """Phase voltages over the PRODIST ranges of the nominal voltage: adequate shaded green, precarious
    amber; what lies outside both is critical."""
    lines = [
        (
            go.Scatter(
                name=label,
                mode="lines",
                line={"color": PHASE_COLOURS[index % len(PHASE_COLOURS)], "width": 1.5},
            ),
            points,
        )
        for index, (label, points) in enumerate(series.items())
    ]
    layout = _layout(y_title="V", x_format="%H:%M")
    bounds = PRODIST_VOLTAGE_RANGES.get(nominal)
    if bounds is not None:
        band = {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "layer": "below", "line": {"width": 0}}
        layout["shapes"] = [
            band | {"y0": bounds.adequate_low, "y1": bounds.adequate_high, "fillcolor": ADEQUATE_BAND},
            band | {"y0": bounds.precarious_low, "y1": bounds.adequate_low, "fillcolor": PRECARIOUS_BAND},
            band | {"y0": bounds.adequate_high, "y1": bounds.precarious_high, "fillcolor": PRECARIOUS_BAND},
        ]
    return _lines_figure(lines=lines, layout=layout)
