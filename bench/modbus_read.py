"""Modbus read benchmark: a full SDM630 reading (every catalog value it has) against the loopback simulator.

Prints, for Modbus TCP, RTU over TCP (an EW11 in transparent mode) and RTU on a pseudo-terminal: requests
per reading and milliseconds per reading (median, p95) over BENCH_MODBUS_READS readings. A pty does not
pace bytes at a baud rate, so the serial figure that matters is computed from the frame sizes: what the
same reading costs on an RS485 line at 9600 baud 8N1.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meters.drivers.sdm630 import SDM630_BLOCKS, SDM630_INPUT_REGISTERS
from meters.reader import device_read
from meters.simulators import Bus, PtySimulator, Sdm630Simulator, SiteModel, TcpSimulator

READS = int(os.environ.get("BENCH_MODBUS_READS", "200"))
BAUD = 9600
BITS_PER_BYTE = 10  # 8N1: start bit, 8 data bits, stop bit
SILENCE_CHARACTERS = 3.5  # RTU frames are separated by 3.5 character times of silence
REQUEST_BYTES = 8  # address, function, start, count, CRC
SERIAL_GAP_S = 0.05  # a serial device's default `gap`: the pause RS485 adapters need between transactions


def response_bytes(count: int) -> int:
    return 5 + 2 * count  # address, function, byte count, data, CRC


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(*, server, device_type: str, config: dict) -> tuple[float, list[float]]:
    device_read(device_type=device_type, config=config)  # warm-up: imports, first sample of the site
    server.bus.transactions = 0
    durations = []
    for _ in range(READS):
        started = time.perf_counter()
        device_read(device_type=device_type, config=config)
        durations.append((time.perf_counter() - started) * 1000)
    return server.bus.transactions / READS, durations


def report(name: str, requests: float, durations: list[float]) -> None:
    median, p95 = statistics.median(durations), percentile(durations, 0.95)
    print(f"{name:<28} {requests:>8.1f} {median:>10.2f} {p95:>10.2f}")


def serial_figures() -> None:
    character_s = BITS_PER_BYTE / BAUD
    frame_bytes = sum(REQUEST_BYTES + response_bytes(count) for _, count in SDM630_BLOCKS)
    wire_s = frame_bytes * character_s
    silences_s = 2 * len(SDM630_BLOCKS) * SILENCE_CHARACTERS * character_s
    gaps_s = (len(SDM630_BLOCKS) - 1) * SERIAL_GAP_S
    print(f"\nserial RS485 at {BAUD} baud 8N1, computed from frame sizes ({len(SDM630_BLOCKS)} requests):")
    print(
        f"  bytes on the wire         {frame_bytes} ({len(SDM630_BLOCKS) * REQUEST_BYTES} out, "
        f"{frame_bytes - len(SDM630_BLOCKS) * REQUEST_BYTES} back)"
    )
    print(f"  wire time                 {wire_s * 1000:6.1f} ms  (bytes x {BITS_PER_BYTE} bits / {BAUD})")
    print(f"  + 3.5-character silences  {(wire_s + silences_s) * 1000:6.1f} ms")
    gaps = f"+ {SERIAL_GAP_S * 1000:.0f} ms gaps"
    print(f"  {gaps:<25} {(wire_s + silences_s + gaps_s) * 1000:6.1f} ms  (plus the meter's turnaround)")


def main() -> None:
    values = len(SDM630_INPUT_REGISTERS)
    print(f"workload: {READS} full SDM630 readings ({values} catalog values) per transport;")
    print("loopback simulator, no added latency; each reading opens its own connection like device_read.\n")
    print(f"{'transport':<28} {'requests':>8} {'median ms':>10} {'p95 ms':>10}")
    site = SiteModel(seed=1)
    settings = {"driver": "sdm630", "slave_id": 1, "timeout": 2.0, "retries": 0, "gap": 0.0}
    for framer, name in (("socket", "Modbus TCP"), ("rtu", "RTU over TCP (EW11)")):
        with TcpSimulator(bus=Bus(slaves=[Sdm630Simulator(site=site)]), framer=framer) as server:
            config = settings | {"host": "127.0.0.1", "port": server.port, "framer": framer}
            report(name, *measure(server=server, device_type="modbus_tcp", config=config))
    with PtySimulator(bus=Bus(slaves=[Sdm630Simulator(site=site)])) as server:
        serial = {"baudrate": BAUD, "parity": "N", "stopbits": 1, "bytesize": 8}
        config = settings | serial | {"port": server.tty_path}
        report("RTU on a pty (no pacing)", *measure(server=server, device_type="modbus", config=config))
    serial_figures()


if __name__ == "__main__":
    main()
