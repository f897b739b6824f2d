"""The `meter` subcommands as plain functions of the parsed options; none of them needs a database.

Each raises a `MeterError` (or the lead's `ConfigError`, or `UsageError`) whose text is the one line the
command prints on failure; Ctrl-C ends `simulate` and `monitor` normally.
"""

import itertools
import json
import time
from datetime import datetime
from typing import TextIO

from rich.console import Console
from rich.live import Live

from meters.cli.options import device_config_from_options
from meters.cli.table import reading_table
from meters.drivers import driver_for
from meters.drivers.pzem004t import (
    COMMAND_SLAVE_ID,
    pzem004t_address_set,
    pzem004t_alarm_threshold_set,
    pzem004t_energy_reset,
    pzem004t_read,
    pzem004t_settings_read,
)
from meters.errors import (
    BadCrc,
    MalformedResponse,
    MeterError,
    MeterTimeout,
    ModbusExceptionResponse,
    WrongSlave,
)
from meters.reader import device_read
from meters.simulators import PtySimulator, SiteModel, TcpSimulator, bus_build, clock_scaled
from meters.transports import modbus_link_open

SCAN_TIMEOUT_S = 0.3  # a present slave answers in milliseconds; 247 silent ids at 3 s would take 12 min
# Failures that prove something answered at that id.
ANSWERED = (ModbusExceptionResponse, BadCrc, WrongSlave, MalformedResponse)


class UsageError(Exception):
    """Options that cannot work together."""


def meter_read(*, options: dict, out: TextIO) -> None:
    device_type, config = device_config_from_options(options=options, driver=options["driver"])
    reading = device_read(device_type=device_type, config=config)
    if options["json"]:
        out.write(json.dumps(reading) + "\n")
        return
    table = reading_table(
        reading=reading, title=_title(config=config), nominal_voltage=options["nominal_voltage"]
    )
    Console(file=out).print(table)


def meter_monitor(*, options: dict, out: TextIO) -> None:
    """Read every `interval` seconds into a live table; `--count N` stops after N readings (1 with --once).

    A failed reading shows as the table's caption and monitoring goes on; the command fails only when its
    last reading failed.
    """
    device_type, config = device_config_from_options(options=options, driver=options["driver"])
    count = 1 if options["once"] else options["count"]
    reading: dict[str, float] = {}
    error: MeterError | None = None
    try:
        with Live(console=Console(file=out), auto_refresh=False) as live:
            for attempt in itertools.count(1):
                started = time.monotonic()
                try:
                    reading, error = device_read(device_type=device_type, config=config), None
                    caption = f"read at {datetime.now():%H:%M:%S}"
                except MeterError as failure:
                    error, caption = failure, f"[bold red]{datetime.now():%H:%M:%S} {failure}[/]"
                table = reading_table(
                    reading=reading,
                    title=_title(config=config),
                    nominal_voltage=options["nominal_voltage"],
                    caption=caption,
                )
                live.update(table, refresh=True)
                if count and attempt >= count:
                    break
                time.sleep(max(0.0, options["interval"] - (time.monotonic() - started)))
    except KeyboardInterrupt:
        return
    if error:
        raise error


def meter_scan(*, options: dict, out: TextIO) -> None:
    """Try every slave id of a range with the driver's read; list the ids that answer in any way."""
    given = {name: value for name, value in options.items() if value is not None}
    scan_options = {"timeout": SCAN_TIMEOUT_S, "retries": 0} | given
    device_type, config = device_config_from_options(options=scan_options, driver=options["driver"])
    read = driver_for(config["driver"])
    answering = []
    with modbus_link_open(device_type=device_type, config=config) as link:
        for slave_id in range(options["first"], options["last"] + 1):
            try:
                read(link=link, slave_id=slave_id)
                out.write(f"slave {slave_id}: {config['driver']} answers\n")
            except MeterTimeout:
                continue
            except ANSWERED as error:
                out.write(f"slave {slave_id}: something answers: {error}\n")
            answering.append(slave_id)
            out.flush()
    if not answering:
        first, last = options["first"], options["last"]
        raise MeterTimeout(f"no slave answered on {link.where} between {first} and {last}")
    out.write(f"answering slave ids: {', '.join(str(slave_id) for slave_id in answering)}\n")


def meter_pzem(*, options: dict, out: TextIO) -> None:
    """A PZEM-004T command; then reads back what it changed."""
    slave_id = COMMAND_SLAVE_ID if options["slave_id"] is None else options["slave_id"]
    options = options | {"slave_id": slave_id}
    device_type, config = device_config_from_options(options=options, driver="pzem004t")
    with modbus_link_open(device_type=device_type, config=config) as link:
        if options["pzem_action"] == "reset-energy":
            pzem004t_energy_reset(link=link, slave_id=slave_id)
            energy = pzem004t_read(link=link, slave_id=slave_id)["energy_import"]
            out.write(f"slave {slave_id}: energy counter reset, now {energy:g} kWh\n")
        elif options["pzem_action"] == "set-alarm":
            pzem004t_alarm_threshold_set(link=link, slave_id=slave_id, watts=options["watts"])
            threshold = pzem004t_settings_read(link=link, slave_id=slave_id)["alarm_threshold"]
            out.write(f"slave {slave_id}: power alarm threshold now {threshold} W\n")
        else:
            new_slave_id = options["address"]
            pzem004t_address_set(link=link, slave_id=slave_id, new_slave_id=new_slave_id)
            address = pzem004t_settings_read(link=link, slave_id=new_slave_id)["slave_id"]
            out.write(f"slave {slave_id}: now answers at address {address}\n")


def meter_simulate(*, options: dict, out: TextIO) -> None:
    """Serve simulated meters until Ctrl-C."""
    if options["driver"] == "tuya":
        _tuya_simulate(options=options)
        return
    site = SiteModel(clock=clock_scaled(factor=options["time_factor"]), seed=options["seed"])
    slave_ids = options["slave_id"] or [1]
    bus = bus_build(driver=options["driver"], slave_ids=slave_ids, site=site, latency=options["latency"])
    if options["pty"]:
        server = PtySimulator(bus=bus).start()
        where = f"{server.tty_path} (RTU)"
    else:
        if options["port"] is None:
            raise UsageError("--port is required (0 picks a free one), or --pty for a pseudo-terminal")
        framer = options["framer"] or "socket"
        server = TcpSimulator(bus=bus, framer=framer, host=options["host"], port=options["port"]).start()
        where = f"{server.host}:{server.port} ({'RTU over TCP' if framer == 'rtu' else 'Modbus TCP'})"
    ids = ", ".join(str(slave_id) for slave_id in slave_ids)
    out.write(f"simulating {options['driver']} slave {ids} on {where}; Ctrl-C stops\n")
    out.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _tuya_simulate(*, options: dict) -> None:
    from meters.simulators.tuya import tuya_simulator_serve

    required = ("port", "device_id", "local_key")
    missing = [f"--{name.replace('_', '-')}" for name in required if options[name] is None]
    if missing:
        raise UsageError(f"a Tuya simulator needs {', '.join(missing)}")
    optional = {name: options[name] for name in ("version", "preset") if options[name]}
    tuya_simulator_serve(
        host=options["host"],
        port=options["port"],
        device_id=options["device_id"],
        local_key=options["local_key"],
        **optional,
    )


def _title(*, config: dict) -> str:
    if config["driver"] == "tuya":
        return f"tuya {config['device_id']} at {config['address']}"
    where = f"{config['host']}:{config['port']}" if "host" in config else config["port"]
    return f"{config['driver']} slave {config['slave_id']} on {where}"
