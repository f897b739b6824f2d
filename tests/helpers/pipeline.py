"""Builders and probes of the pipeline tests: meters behind a simulated EW11, readings counts, and the slave
platform (a recording HTTP server)."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device, Reading
from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator
from tenants.models import Client


def rtu_config(*, port: int, slave_id: int, driver: str = "sdm630", timeout: float = 0.5, **extra) -> dict:
    """A meter behind a simulated EW11 in transparent mode (RTU frames over TCP)."""
    config = {"driver": driver, "host": "127.0.0.1", "port": port, "framer": "rtu", "slave_id": slave_id}
    return device_config_clean(
        device_type="modbus_tcp", config=config | {"timeout": timeout, "retries": 0} | extra
    )


@contextmanager
def ew11_sdm630(*, port: int = 0) -> Iterator[TcpSimulator]:
    """One simulated SDM630 (slave 1) behind a simulated EW11 on loopback (`port` 0: a free one)."""
    bus = Bus(slaves=[Sdm630Simulator(site=SiteModel(seed=1), slave_id=1)])
    simulator = TcpSimulator(bus=bus, framer="rtu", port=port).start()
    try:
        yield simulator
    finally:
        simulator.stop()


def readings_count(*, client: Client, device_id: int) -> int:
    with tenant_context(client):
        return Reading.objects.filter(device_id=device_id).count()


def device_fetch(*, client: Client, device_id: int) -> Device:
    with tenant_context(client):
        return Device.objects.get(pk=device_id)


@dataclass(frozen=True)
class Received:
    client: str | None
    authorization: str | None
    body: list[dict]
    answered: int


class SlaveServer:
    """The slave platform: a real HTTP server on loopback that records each POST. It answers 201, unless
    told to refuse the batches of one device first (`refuse`)."""

    def __init__(self):
        self.received: list[Received] = []
        self._refusals: dict[tuple[str, int], list[int]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/ingest"

    def start(self) -> "SlaveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def refuse(self, *, client: str, device_id: int, statuses: list[int]) -> None:
        with self._lock:
            self._refusals[(client, device_id)] = list(statuses)

    def received_for(self, *, client: str, device_id: int) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.client == client and r.body[0]["device_id"] == device_id]

    def _answer(self, *, client: str | None, authorization: str | None, body: list[dict]) -> int:
        with self._lock:
            refusals = self._refusals.get((client, body[0]["device_id"]), [])
            status = refusals.pop(0) if refusals else 201
            self.received.append(Received(client, authorization, body, status))
            return status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        slave = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = slave._answer(
                    client=self.headers.get("X-Pieng-Client"),
                    authorization=self.headers.get("Authorization"),
                    body=body,
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        return Handler
