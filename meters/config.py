"""Device configuration: the original platform's JSON, validated per device type and driver.

`device_config_clean` is the one gate: the admin form and the API both call it, so a config is
refused the same way everywhere, with the offending field named.
"""

import re
from collections.abc import Callable
from typing import Any

from meters.addresses import (
    HOST_PATTERN,
    AddressRefused,
    host_save_check,
    serial_port_clean,
    serial_url_endpoint,
)
from meters.drivers import MODBUS_DRIVERS
from meters.drivers.pzem004t import PZEM_GENERAL_ADDRESS
from meters.drivers.tuya_presets import PRESETS

DEVICE_TYPES = ("modbus_tcp", "modbus", "tuya")
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
TUYA_VERSIONS = ("3.1", "3.2", "3.3", "3.4", "3.5")
TUYA_REGIONS = ("cn", "us", "us-e", "eu", "eu-w", "sg", "in")


class ConfigError(ValueError):
    """Maps each offending config field to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


Rule = Callable[[Any], Any]


def _text(*, max_length: int = 255, pattern: re.Pattern | None = None, what: str = "text") -> Rule:
    def check(value):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"must be a non-empty {what}")
        if len(value) > max_length:
            raise ValueError(f"must be at most {max_length} characters")
        if pattern and not pattern.match(value):
            raise ValueError(f"is not a valid {what}")
        return value.strip()

    return check


def _integer(*, low: int, high: int) -> Rule:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return check


def _number(*, low: float, high: float) -> Rule:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ValueError("must be a number")
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}")
        return float(value)

    return check


def _choice(choices: tuple) -> Rule:
    def check(value):
        if value not in choices:
            raise ValueError("must be one of " + ", ".join(str(choice) for choice in choices))
        return value

    return check


def _tuya_version(value):
    # The original JSON and tinytuya both write versions as numbers (3.3); keep them as text.
    text = f"{value:.1f}" if isinstance(value, float) else value
    return _choice(TUYA_VERSIONS)(text)


COMMON = {
    "timeout": _number(low=0.05, high=60),
    "retries": _integer(low=0, high=5),
    "poll_interval": _integer(low=5, high=86400),
}
MODBUS_COMMON = {
    "driver": _choice(tuple(MODBUS_DRIVERS)),
    "slave_id": _integer(low=1, high=247),
    "gap": _number(low=0, high=5),
}
FIELDS = {
    "modbus_tcp": {
        **MODBUS_COMMON,
        "host": _text(pattern=HOST_PATTERN, what="host name or IP address"),
        "port": _integer(low=1, high=65535),
        "framer": _choice(("socket", "rtu")),
    },
    "modbus": {
        **MODBUS_COMMON,
        "port": serial_port_clean,
        "baudrate": _choice(BAUDRATES),
        "parity": _choice(("N", "E", "O")),
        "stopbits": _choice((1, 2)),
        "bytesize": _choice((7, 8)),
    },
    "tuya": {
        "driver": _choice(("tuya",)),
        "mode": _choice(("local", "cloud")),
        "device_id": _text(max_length=64, what="Tuya device id"),
        "address": _text(pattern=HOST_PATTERN, what="host name or IP address"),
        "port": _integer(low=1, high=65535),
        "local_key": _text(max_length=64, what="Tuya local key"),
        "version": _tuya_version,
        "preset": _choice(tuple(PRESETS)),
        "api_region": _choice(TUYA_REGIONS),
        "api_key": _text(what="Tuya cloud access id"),
        "api_secret": _text(what="Tuya cloud access secret"),
    },
}
DEFAULTS = {
    "modbus_tcp": {"slave_id": 1, "framer": "socket", "timeout": 3.0, "retries": 1, "poll_interval": 30},
    "modbus": {
        "slave_id": 1,
        "baudrate": 9600,
        "parity": "N",
        "stopbits": 1,
        "bytesize": 8,
        "timeout": 1.0,
        "retries": 1,
        "gap": 0.05,
        "poll_interval": 30,
    },
    "tuya": {
        "driver": "tuya",
        "mode": "local",
        "port": 6668,
        "version": "3.3",
        "preset": "plug_v33",
        "timeout": 5.0,
        "retries": 1,
        "poll_interval": 30,
    },
}
REQUIRED = {
    "modbus_tcp": ("driver", "host"),
    "modbus": ("driver", "port"),
    "tuya": ("device_id",),
}
# Write-only: stored encrypted (meters.fields), shown as SECRET_MASK, kept when a change sends the mask.
SECRET_FIELDS = frozenset({"local_key", "api_key", "api_secret"})
SECRET_MASK = "***"  # noqa: S105 - what a secret is shown as, not a secret
TUYA_MODE_REQUIRED = {"local": ("address", "local_key"), "cloud": ("api_region", "api_key", "api_secret")}


def device_config_clean(*, device_type: str, config: Any) -> dict:
    """Return the config with defaults filled in, or raise ConfigError naming every bad field."""
    if device_type not in DEVICE_TYPES:
        raise ConfigError({"device_type": "must be one of " + ", ".join(DEVICE_TYPES)})
    if not isinstance(config, dict):
        raise ConfigError({"config": "must be a JSON object"})
    fields = FIELDS[device_type] | COMMON
    errors = {key: "is not a known field for this device type" for key in config if key not in fields}
    cleaned = {**DEFAULTS[device_type], **_type_defaults(device_type, config)}
    for key, value in config.items():
        if key in fields:
            try:
                cleaned[key] = fields[key](value)
            except ValueError as error:
                errors[key] = str(error)
    required = REQUIRED[device_type] + TUYA_MODE_REQUIRED.get(cleaned.get("mode"), ())
    errors |= {key: "is required" for key in required if key not in config}
    if cleaned.get("driver") == "pzem004t" and config.get("slave_id") == PZEM_GENERAL_ADDRESS:
        errors.pop("slave_id", None)
        cleaned["slave_id"] = PZEM_GENERAL_ADDRESS
    if not errors and "timeout" in cleaned:
        errors |= _read_time_check(cleaned)
    if not errors:
        errors = _endpoint_errors(device_type=device_type, config=cleaned)
    if errors:
        raise ConfigError(errors)
    return cleaned


def _read_time_check(config: dict) -> dict[str, str]:
    """A read is a connection plus (retries + 1) attempts, each up to `timeout`: it must fit the deadline
    every read is held to, so that a slow meter cannot hold its bus, its locks and a worker for long."""
    from django.conf import settings

    longest = config["timeout"] * (config["retries"] + 2)
    if longest <= settings.POLL_READ_MAX_SECONDS:
        return {}
    return {
        "timeout": f"with {config['retries']} retries a read could last {longest:g} s (connecting "
        f"included); at most {settings.POLL_READ_MAX_SECONDS:g} s is allowed"
    }


def config_masked(config: dict) -> dict:
    """The config as anyone may see it: every secret that is set shows as SECRET_MASK."""
    return {key: SECRET_MASK if key in SECRET_FIELDS and value else value for key, value in config.items()}


def config_secrets_kept(*, current: dict, changes: dict) -> dict:
    """`changes` with each secret sent back as SECRET_MASK replaced by the stored one (left out when none
    is stored, so that a required secret is reported missing rather than stored as the mask)."""
    kept = dict(changes)
    for key in SECRET_FIELDS:
        if kept.get(key) == SECRET_MASK:
            if current.get(key):
                kept[key] = current[key]
            else:
                del kept[key]
    return kept


def config_endpoint(*, device_type: str, config: dict) -> tuple[str, str, int] | None:
    """(config field, host, port) of where the server connects for this device; None for a local serial
    port or the Tuya cloud."""
    if device_type == "modbus_tcp":
        return "host", config["host"], config["port"]
    if device_type == "modbus":
        endpoint = serial_url_endpoint(config["port"])
        return ("port", *endpoint) if endpoint else None
    if device_type == "tuya" and config.get("mode") == "local":
        return "address", config["address"], config["port"]
    return None


def _endpoint_errors(*, device_type: str, config: dict) -> dict[str, str]:
    endpoint = config_endpoint(device_type=device_type, config=config)
    if endpoint is None:
        return {}
    field, host, port = endpoint
    try:
        host_save_check(host=host, port=port)
    except AddressRefused as refusal:
        return {field: f"refused: {refusal}"}
    return {}


def _type_defaults(device_type: str, config: dict) -> dict:
    """Defaults that depend on another field: an EW11 in transparent mode listens on 8899, Modbus TCP
    on 502."""
    if device_type != "modbus_tcp":
        return {}
    rtu = config.get("framer") == "rtu"
    # RS485 converters need a pause between transactions; a Modbus TCP gateway paces its bus itself.
    return {"port": 8899 if rtu else 502, "gap": 0.05 if rtu else 0.0}


def config_bus_key(*, device_type: str, config: dict) -> str | None:
    """Devices with the same key share one wire and must be addressed one transaction at a time."""
    if device_type == "modbus_tcp":
        return f"tcp:{config['host'].lower()}:{config['port']}"
    if device_type == "modbus":
        return f"serial:{config['port']}"
    return None
