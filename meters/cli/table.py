"""A reading as a terminal table, with the values outside their normal range flagged."""

from rich.table import Table

from meters.catalog import CATALOG, metric_normal_range, metric_unit


def reading_rows(*, reading: dict[str, float], nominal_voltage: int) -> list[tuple[str, str, str, str, bool]]:
    """(metric, value, unit, normal range, out of range) in catalog order, then any custom metric."""
    order = {name: index for index, name in enumerate(CATALOG)}
    rows = []
    for name in sorted(reading, key=lambda name: (order.get(name, len(order)), name)):
        value = reading[name]
        normal = metric_normal_range(name=name, nominal_voltage=nominal_voltage)
        shown_range = ""
        if normal:
            shown_range = f"{'|x| ' if normal.of_magnitude else ''}{normal.low:g} to {normal.high:g}"
        flagged = bool(normal) and not normal.contains(value)
        rows.append((name, f"{value:.3f}", metric_unit(name) or "", shown_range, flagged))
    return rows


def reading_table(*, reading: dict[str, float], title: str, nominal_voltage: int, caption: str = "") -> Table:
    table = Table(title=title, caption=caption)
    for column, justify in (("metric", "left"), ("value", "right"), ("unit", "left"), ("normal", "left")):
        table.add_column(column, justify=justify)
    table.add_column("")
    for name, value, unit, normal, flagged in reading_rows(reading=reading, nominal_voltage=nominal_voltage):
        flag, style = ("OUT OF RANGE", "bold red") if flagged else ("", None)
        table.add_row(name, value, unit, normal, flag, style=style)
    return table
