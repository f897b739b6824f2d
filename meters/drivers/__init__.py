"""Meter drivers: a declarative register table per meter, mapped onto the metric catalog."""

from collections.abc import Callable

from meters.drivers.pzem004t import pzem004t_read
from meters.drivers.sdm630 import sdm630_read

ModbusRead = Callable[..., dict[str, float]]

MODBUS_DRIVERS: dict[str, ModbusRead] = {
    "sdm630": sdm630_read,
    "pzem004t": pzem004t_read,
}


def driver_for(name: str) -> ModbusRead:
    """The read function of a Modbus driver: `(*, link: ModbusLink, slave_id: int) -> dict[str, float]`."""
    try:
        return MODBUS_DRIVERS[name]
    except KeyError:
        raise ValueError(f"unknown Modbus driver {name!r}; known: {', '.join(MODBUS_DRIVERS)}") from None
