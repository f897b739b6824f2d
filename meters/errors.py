"""Typed failures of talking to a meter.

Every failure carries a one-line message that names the cause, because operators read it
on a terminal (`meter read`) or in the device's `last_error` field.
"""


class MeterError(Exception):
    """A meter could not be read; ``str(error)`` is one line that names the cause."""


class MeterTimeout(MeterError):
    pass


class MeterConnectionRefused(MeterError):
    pass


class ModbusExceptionResponse(MeterError):
    def __init__(self, code: int, name: str, message: str | None = None):
        self.code = code
        self.name = name
        super().__init__(message or f"Modbus exception {code} ({name})")


class BadCrc(MeterError):
    pass


class WrongSlave(MeterError):
    pass


class MalformedResponse(MeterError):
    pass


class TuyaKeyError(MeterError):
    """The Tuya device answered, but not with something our local key decrypts."""
