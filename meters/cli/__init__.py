"""`python manage.py meter ...`: parser and dispatch, kept apart from Django so they are plain functions."""

import argparse
from typing import TextIO

from meters.cli.commands import UsageError, meter_monitor, meter_pzem, meter_read, meter_scan, meter_simulate
from meters.cli.options import modbus_connection_arguments_add, slave_id_type, tuya_arguments_add
from meters.drivers import MODBUS_DRIVERS
from meters.drivers.pzem004t import ADDRESS_RANGE, ALARM_THRESHOLD_RANGE

COMMANDS = {
    "read": meter_read,
    "monitor": meter_monitor,
    "scan": meter_scan,
    "pzem": meter_pzem,
    "simulate": meter_simulate,
}
NOMINAL_VOLTAGES = (127, 220)


def _bounded(low: int, high: int):
    def parse(text: str) -> int:
        value = slave_id_type(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def _read_arguments_add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--driver", required=True, choices=(*MODBUS_DRIVERS, "tuya"))
    modbus_connection_arguments_add(parser, slave_id_help="default 1")
    tuya_arguments_add(parser)
    parser.add_argument(
        "--nominal-voltage",
        type=int,
        choices=NOMINAL_VOLTAGES,
        default=127,
        help="phase-to-neutral nominal voltage for the PRODIST ranges (default 127)",
    )


def meter_arguments_add(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)

    read = actions.add_parser("read", help="read a meter once")
    _read_arguments_add(read)
    read.add_argument("--json", action="store_true", help="print one JSON object, metric name to value")

    monitor = actions.add_parser("monitor", help="a live table of a meter, flagging values out of range")
    _read_arguments_add(monitor)
    monitor.add_argument("--interval", type=float, default=2.0, help="seconds between readings (default 2)")
    monitor.add_argument("--count", type=int, help="stop after this many readings")
    monitor.add_argument("--once", action="store_true", help="one reading, then stop")

    scan = actions.add_parser("scan", help="which slave ids answer on a bus")
    scan.add_argument("--driver", required=True, choices=tuple(MODBUS_DRIVERS), help="the meters on the bus")
    modbus_connection_arguments_add(scan, slave_id_help=None)
    scan.add_argument("--first", type=_bounded(1, 248), default=1, help="first slave id (default 1)")
    scan.add_argument("--last", type=_bounded(1, 248), default=247, help="last slave id (default 247)")

    pzem = actions.add_parser("pzem", help="PZEM-004T commands")
    pzem_actions = pzem.add_subparsers(dest="pzem_action", required=True)
    reset = pzem_actions.add_parser("reset-energy", help="zero the energy counter (function 0x42)")
    alarm = pzem_actions.add_parser("set-alarm", help="set the power alarm threshold")
    alarm.add_argument("watts", type=_bounded(*ALARM_THRESHOLD_RANGE))
    address = pzem_actions.add_parser("set-address", help="set the module's slave address")
    address.add_argument("address", type=_bounded(*ADDRESS_RANGE))
    for command in (reset, alarm, address):
        modbus_connection_arguments_add(command, slave_id_help="default 0xF8, the general address")

    simulate = actions.add_parser("simulate", help="serve simulated meters until Ctrl-C")
    simulate.add_argument("--driver", required=True, choices=(*MODBUS_DRIVERS, "tuya"))
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, help="TCP port to listen on; 0 picks a free one")
    simulate.add_argument("--framer", choices=("socket", "rtu"), help="socket (default) or rtu (an EW11)")
    simulate.add_argument("--pty", action="store_true", help="RTU on a pseudo-terminal instead of TCP")
    simulate.add_argument("--slave-id", type=_bounded(1, 247), nargs="+", help="one or more (default 1)")
    simulate.add_argument("--latency", type=float, default=0.0, help="seconds each answer holds the bus")
    simulate.add_argument("--time-factor", type=float, default=1.0, help="how much faster than real time")
    simulate.add_argument("--seed", type=int, help="for repeatable noise")
    simulate.add_argument("--device-id", help="Tuya")
    simulate.add_argument("--local-key", help="Tuya")
    simulate.add_argument("--version", help="Tuya protocol version")
    simulate.add_argument("--preset", help="Tuya data point layout")


def meter_run(*, options: dict, out: TextIO) -> None:
    COMMANDS[options["action"]](options=options, out=out)


__all__ = ["UsageError", "meter_arguments_add", "meter_run"]
