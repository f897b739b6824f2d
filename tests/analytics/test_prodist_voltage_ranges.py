"""PRODIST Module 8 steady-state ranges for low voltage, edges included."""

import pytest

from analytics.prodist import voltage_class, voltage_limits


@pytest.mark.parametrize(
    ("nominal", "limits"),
    [(127, (117, 133)), (220, (202, 231)), (254, (234, 267)), (380, (350, 399)), (440, (405, 462))],
)
def test_it_gives_the_adequate_range(nominal, limits):
    assert voltage_limits(nominal=nominal) == limits


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (117, "adequate"),
        (127, "adequate"),
        (133, "adequate"),
        (116.9, "precarious"),
        (110, "precarious"),
        (133.1, "precarious"),
        (135, "precarious"),
        (109.9, "critical"),
        (135.1, "critical"),
        (0, "critical"),
    ],
)
def test_it_classifies_a_127_v_supply(value, expected):
    assert voltage_class(nominal=127, value=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (202, "adequate"),
        (231, "adequate"),
        (201.9, "precarious"),
        (191, "precarious"),
        (233, "precarious"),
        (190.9, "critical"),
        (233.1, "critical"),
    ],
)
def test_it_classifies_a_220_v_supply(value, expected):
    assert voltage_class(nominal=220, value=value) == expected


def test_an_unknown_nominal_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="127, 220"):
        voltage_limits(nominal=230)
