"""Modbus links; they carry frames and name failures, and know nothing of registers or metrics."""

from meters.transports.modbus import ModbusLink, modbus_link_open

__all__ = ["ModbusLink", "modbus_link_open"]
