"""An RS485 bus of simulated slaves, as an EW11 or a USB adapter sees it: one transaction at a time.

Two masters that do not take turns (two pollers on one gateway) make requests overlap. The real wire
garbles them; this bus serialises them instead, so that tests stay deterministic, and counts them in
`overlaps`, so that a test can prove its poller never overlaps.
"""

import threading
import time
from dataclasses import dataclass
from typing import Protocol

# What a misbehaving slave does: never answers, answers with a bad CRC, answers with another slave id, or
# stops in the middle of its answer.
FAULTS = ("silent", "bad_crc", "wrong_slave", "short")


class SimulatedSlave(Protocol):
    def answers_to(self, slave_id: int) -> bool: ...

    def respond(self, pdu: bytes) -> bytes: ...


@dataclass(frozen=True)
class Answer:
    pdu: bytes
    fault: str | None


class Bus:
    def __init__(self, *, slaves: list[SimulatedSlave], latency: float = 0.0):
        """`latency` is how long each answering transaction holds the bus."""
        self.slaves = list(slaves)
        self.latency = latency
        self.faults: dict[int, str] = {}
        self.transactions = 0
        self.overlaps = 0
        self._wire = threading.Lock()
        self._counters = threading.Lock()
        self._in_flight = 0

    def fault_set(self, *, slave_id: int, fault: str | None) -> None:
        if fault is None:
            self.faults.pop(slave_id, None)
            return
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}")
        self.faults[slave_id] = fault

    def transact(self, *, slave_id: int, pdu: bytes) -> list[Answer]:
        """The answers of every slave that takes `slave_id` as its own (several means a collision)."""
        with self._counters:
            self.transactions += 1
            # A request that arrives, on any connection, while another is still being answered.
            if self._in_flight:
                self.overlaps += 1
            self._in_flight += 1
        try:
            with self._wire:
                fault = self.faults.get(slave_id)
                responders = [slave for slave in self.slaves if slave.answers_to(slave_id)]
                if fault == "silent" or not responders:
                    return []
                time.sleep(self.latency)
                return [Answer(slave.respond(pdu), fault) for slave in responders]
        finally:
            with self._counters:
                self._in_flight -= 1
