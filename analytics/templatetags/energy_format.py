"""Numbers as the portal shows them, in the page's language: `12,35 kWh`, `45%`, `—` for no value."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()
NO_VALUE = "—"


@register.filter
def kwh(value) -> str:
    return NO_VALUE if value is None else f"{floatformat(value, 2)} kWh"


@register.filter
def percent(share) -> str:
    """A share from 0 to 1 as a percentage."""
    return NO_VALUE if share is None else f"{floatformat(share * 100, 0)}%"


@register.filter
def percent_of_100(value) -> str:
    """A value already in percent."""
    return NO_VALUE if value is None else f"{floatformat(value, 1)}%"


@register.filter
def money(value) -> str:
    return NO_VALUE if value is None else f"R$ {floatformat(value, 2)}"


@register.filter
def watts(value) -> str:
    if value is None:
        return NO_VALUE
    if abs(value) >= 1000:
        return f"{floatformat(value / 1000, 2)} kW"
    return f"{floatformat(value, 0)} W"
