"""Arguments of `meter` (docs/api-contract.md section 3), and the device config they stand for.

The command line is turned into the same config a device would have and goes through the same
validation (`device_config_clean`), so `meter read` behaves like the poller with that config.
"""

import argparse

from meters.config import BAUDRATES, device_config_clean

# The options that make each device type's config; they are named like the config keys, except --serial.
TUYA_OPTIONS = ("device_id", "address", "local_key", "version", "preset", "port", "timeout", "retries")
MODBUS_TCP_OPTIONS = ("host", "port", "framer", "slave_id", "timeout", "retries", "gap")
SERIAL_OPTIONS = (
    "serial",
    "baudrate",
    "parity",
    "stopbits",
    "bytesize",
    "slave_id",
    "timeout",
    "retries",
    "gap",
)
CONFIG_KEYS = {"serial": "port"}


def slave_id_type(text: str) -> int:
    """A slave id in decimal or 0x hex (the PZEM's general address is usually written 0xF8)."""
    try:
        return int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a slave id: {text!r}") from None


def modbus_connection_arguments_add(parser: argparse.ArgumentParser, *, slave_id_help: str | None) -> None:
    """The options that reach a bus; no --slave-id when `slave_id_help` is None (scan walks the ids)."""
    tcp = parser.add_argument_group("Modbus TCP, or RTU over TCP (an EW11 in transparent mode)")
    tcp.add_argument("--host", help="gateway or meter address")
    tcp.add_argument("--port", type=int, help="TCP port (default 502 for --framer socket, 8899 for rtu)")
    tcp.add_argument("--framer", choices=("socket", "rtu"), help="socket: MBAP (default); rtu: RTU frames")
    serial = parser.add_argument_group("Modbus RTU on a serial port")
    serial.add_argument(
        "--serial", metavar="PORT", help="/dev/ttyUSB0, COM3, or a pyserial URL (socket://h:p)"
    )
    serial.add_argument("--baudrate", type=int, choices=BAUDRATES, help="default 9600")
    serial.add_argument("--parity", choices=("N", "E", "O"), help="default N")
    serial.add_argument("--stopbits", type=int, choices=(1, 2), help="default 1")
    serial.add_argument("--bytesize", type=int, choices=(7, 8), help="default 8")
    link = parser.add_argument_group("both")
    if slave_id_help:
        link.add_argument("--slave-id", type=slave_id_type, help=slave_id_help)
    link.add_argument("--timeout", type=float, help="seconds to wait for an answer")
    link.add_argument("--retries", type=int, help="extra tries after a timeout")
    link.add_argument("--gap", type=float, help="seconds of bus silence between two transactions")


def tuya_arguments_add(parser: argparse.ArgumentParser) -> None:
    tuya = parser.add_argument_group("Tuya (local protocol)")
    tuya.add_argument("--device-id")
    tuya.add_argument("--address", help="the device's IP address")
    tuya.add_argument("--local-key")
    tuya.add_argument("--version", help="protocol version, 3.1 to 3.5 (default 3.3)")
    tuya.add_argument("--preset", help="data point layout (default plug_v33)")


def device_config_from_options(*, options: dict, driver: str) -> tuple[str, dict]:
    """(device_type, validated config) of the command line; raises the lead's ConfigError naming a field."""
    if driver == "tuya":
        device_type, names = "tuya", TUYA_OPTIONS
    elif options.get("serial"):
        device_type, names = "modbus", SERIAL_OPTIONS
    else:
        device_type, names = "modbus_tcp", MODBUS_TCP_OPTIONS
    given = {CONFIG_KEYS.get(name, name): options[name] for name in names if options.get(name) is not None}
    config = device_config_clean(device_type=device_type, config={"driver": driver, **given})
    return device_type, config
