"""Simulator servers, startable in-process (tests, `make run`) and from `meter simulate`:

- `TcpSimulator(framer="socket")`: Modbus TCP, as a TCP-to-RTU gateway in front of the bus;
- `TcpSimulator(framer="rtu")`: raw RTU frames over TCP, an EW11 in transparent mode;
- `PtySimulator`: RTU on a pseudo-terminal; open `tty_path` as the serial port.

Every connection of a TCP simulator reaches the same bus, so requests from two clients can overlap.
"""

import contextlib
import os
import select
import socket
import threading
import tty

from meters.simulators.bus import Bus
from meters.simulators.wire import mbap_exchange, mbap_requests_split, rtu_exchange, rtu_requests_split

# Silence that ends an RTU frame of unknown size: 3.5 characters at 9600 baud are 3.6 ms; leave margin.
QUIET_S = 0.02
POLL_S = 0.05


class TcpSimulator:
    def __init__(self, *, bus: Bus, framer: str = "socket", host: str = "127.0.0.1", port: int = 0):
        if framer not in ("socket", "rtu"):
            raise ValueError(f"unknown framer {framer!r}")
        self.bus = bus
        self.framer = framer
        self.host = host
        self.port = port
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._accepting: threading.Thread | None = None
        self._serving: list[threading.Thread] = []
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        # Connections accepted so far: a poller that keeps its connection opens one.
        self.accepted = 0

    def __enter__(self) -> "TcpSimulator":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> "TcpSimulator":
        self._listener = socket.create_server((self.host, self.port))
        self._listener.settimeout(POLL_S)
        self.port = self._listener.getsockname()[1]
        self._accepting = threading.Thread(target=self._accept_loop, daemon=True)
        self._accepting.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._accepting.join()
        self._listener.close()
        with self._lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):  # the client may have closed it already
                    connection.shutdown(socket.SHUT_RDWR)
        for thread in self._serving:
            thread.join()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            with self._lock:
                self._connections.add(connection)
                self.accepted += 1
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self._serving.append(thread)
            thread.start()

    def _serve(self, connection: socket.socket) -> None:
        buffer = b""
        try:
            while not self._stopping.is_set():
                connection.settimeout(QUIET_S if buffer else None)
                try:
                    chunk = connection.recv(4096)
                except TimeoutError:
                    chunk = None
                if chunk == b"":
                    return
                frames, buffer = self._split(buffer + (chunk or b""), quiet=chunk is None)
                for frame in frames:
                    connection.sendall(self._exchange(frame))
        except OSError:
            return  # the client went away mid-exchange
        finally:
            with self._lock:
                self._connections.discard(connection)
            connection.close()

    def _split(self, buffer: bytes, *, quiet: bool) -> tuple[list[bytes], bytes]:
        if self.framer == "rtu":
            return rtu_requests_split(buffer, quiet=quiet)
        return mbap_requests_split(buffer)

    def _exchange(self, frame: bytes) -> bytes:
        if self.framer == "rtu":
            return rtu_exchange(bus=self.bus, frame=frame)
        return mbap_exchange(bus=self.bus, frame=frame)


class PtySimulator:
    def __init__(self, *, bus: Bus):
        self.bus = bus
        self.tty_path = ""
        self._master = self._slave = -1
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "PtySimulator":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> "PtySimulator":
        self._master, self._slave = os.openpty()
        # Raw, so that no byte of a frame is taken for a line ending or a control character.
        tty.setraw(self._slave)
        self.tty_path = os.ttyname(self._slave)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        os.close(self._master)
        os.close(self._slave)

    def _serve(self) -> None:
        buffer = b""
        while not self._stopping.is_set():
            ready, _, _ = select.select([self._master], [], [], QUIET_S)
            if ready:
                buffer += os.read(self._master, 4096)
            frames, buffer = rtu_requests_split(buffer, quiet=not ready)
            for frame in frames:
                os.write(self._master, rtu_exchange(bus=self.bus, frame=frame))
