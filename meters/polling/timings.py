"""Where a poll's time goes, phase by phase: wall-clock seconds for the operator's metrics, and the
thread's CPU seconds for the benchmark's profile.

A poll opens a `PollTimer` and names its phases; code deeper down (alarm evaluation, the forwarding
outbox, the Modbus link) marks its own phases with `poll_phase(...)`, which records into the poll that is
running in this thread, if any, and costs nothing otherwise. Phases nest: a phase's time excludes the
phases inside it, so the figures add up to the poll's total.
"""

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

_current: contextvars.ContextVar["PollTimer | None"] = contextvars.ContextVar("poll_timer", default=None)


@dataclass
class PollTimer:
    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    # [phase, wall at entry, cpu at entry, wall of nested phases, cpu of nested phases]
    _stack: list[list] = field(default_factory=list, repr=False)

    @contextmanager
    def running(self) -> Iterator["PollTimer"]:
        token = _current.set(self)
        try:
            yield self
        finally:
            _current.reset(token)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        frame = [name, time.perf_counter(), time.thread_time(), 0.0, 0.0]
        self._stack.append(frame)
        try:
            yield
        finally:
            self._stack.pop()
            wall = time.perf_counter() - frame[1]
            cpu = time.thread_time() - frame[2]
            self.wall[name] = self.wall.get(name, 0.0) + wall - frame[3]
            self.cpu[name] = self.cpu.get(name, 0.0) + cpu - frame[4]
            if self._stack:
                self._stack[-1][3] += wall
                self._stack[-1][4] += cpu


@contextmanager
def poll_phase(name: str) -> Iterator[None]:
    """Count the enclosed code as `name` in the poll running in this thread (nothing outside a poll)."""
    timer = _current.get()
    if timer is None:
        yield
        return
    with timer.phase(name):
        yield
