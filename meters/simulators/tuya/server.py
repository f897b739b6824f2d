"""The simulated device on TCP: answers queries, controls, refresh requests and heartbeats, one client at a
time."""

import json
import logging
import socket
import socketserver
import struct
import threading
from collections import deque
from collections.abc import Callable

import tinytuya
from tinytuya import TuyaMessage, parse_header, unpack_message

from meters.simulators.site import SiteModel
from meters.simulators.tuya.dps import DEVICE_KINDS, Reading
from meters.simulators.tuya.measurer import Measurer
from meters.simulators.tuya.session import Session

log = logging.getLogger(__name__)

VERSIONS = ("3.1", "3.3", "3.4", "3.5")
LOCAL_KEY_LENGTH = 16
REFRESH_S = 2.0
IDLE_TIMEOUT_S = 30.0
REJECTED = b"data format error"
_HEADER_READ = struct.calcsize(tinytuya.MESSAGE_HEADER_FMT_6699)  # long enough for either frame's header


class TuyaSimulator:
    """A Tuya energy device on ``host:port``, serving one client at a time; ``start()`` returns the port."""

    def __init__(
        self,
        *,
        device_id: str,
        local_key: str,
        version: str = "3.3",
        preset: str = "plug_v33",
        host: str = "127.0.0.1",
        port: int = 0,
        site: SiteModel | None = None,
    ):
        if version not in VERSIONS:
            raise ValueError(f"simulated Tuya protocol must be one of {', '.join(VERSIONS)}, not {version!r}")
        if len(local_key) != LOCAL_KEY_LENGTH:
            raise ValueError(f"Tuya local key must be {LOCAL_KEY_LENGTH} characters, got {len(local_key)}")
        if preset not in DEVICE_KINDS:
            raise ValueError(
                f"simulated Tuya device must be one of {', '.join(DEVICE_KINDS)}, not {preset!r}"
            )
        self.device_id = device_id
        self.local_key = local_key.encode("latin1")
        self.version = version
        self.preset = preset
        self.address = (host, port)
        self._kind = DEVICE_KINDS[preset]
        self._measurer = Measurer(kind=self._kind, site=site or SiteModel())
        # The command ids of the latest requests, oldest first: what a client asked, for tests and demos.
        self.received: deque[int] = deque(maxlen=100)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def reading(self) -> Reading:
        """The measurement the device serves now."""
        return self._measurer.reading

    @property
    def port(self) -> int:
        """The bound port, once started."""
        return self._server.server_address[1]

    def start(self) -> int:
        self._server = _Server(self.address, simulator=self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="tuya-simulator",
            daemon=True,
        )
        self._thread.start()
        return self.port

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> "TuyaSimulator":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def answer(self, *, message: TuyaMessage, session: Session) -> list[bytes]:
        """The frames the device sends back for one request."""
        self.received.append(message.cmd)
        handler = _HANDLERS.get(message.cmd)
        try:
            if message.cmd == tinytuya.SESS_KEY_NEG_START:
                return [session.negotiation_reply(message)]
            if message.cmd == tinytuya.SESS_KEY_NEG_FINISH:
                session.negotiation_finish(message)
                return []
            if handler is None:
                return []
            request = session.request_json(message)
        except ValueError:
            return [session.frame(seqno=message.seqno, cmd=message.cmd, payload=REJECTED, retcode=1)]
        return handler(self, request=request, message=message, session=session)

    def _status_json(self, *, dps: dict, session: Session) -> bytes:
        now = int(self._measurer.site.now())
        if session.version in ("3.4", "3.5"):
            document = {"protocol": 4, "t": now, "data": {"dps": dps}}
        else:
            document = {"devId": self.device_id, "dps": dps, "t": now}
        return json.dumps(document, separators=(",", ":")).encode()

    def _dps(self) -> dict:
        return self._kind.layout(self._measurer.reading)

    def _on_query(self, *, request: dict, message: TuyaMessage, session: Session) -> list[bytes]:
        if self._measurer.site.now() - self._measurer.sampled_at >= REFRESH_S:
            self._measurer.refresh()
        body = self._status_json(dps=self._dps(), session=session)
        return [session.frame(seqno=message.seqno, cmd=message.cmd, payload=session.encoded(body=body))]

    def _on_control(self, *, request: dict, message: TuyaMessage, session: Session) -> list[bytes]:
        changes = request.get("dps") or request.get("data", {}).get("dps") or {}
        if self._kind.relay_dp in changes:
            self._measurer.switch_set(on=bool(changes[self._kind.relay_dp]))
        dps = self._dps()
        return self._ack_and_push(
            message=message, session=session, dps={dp: dps[dp] for dp in changes if dp in dps}
        )

    def _on_updatedps(self, *, request: dict, message: TuyaMessage, session: Session) -> list[bytes]:
        self._measurer.refresh()
        dps = self._dps()
        asked = (str(dp) for dp in request.get("dpId", []))
        return self._ack_and_push(
            message=message, session=session, dps={dp: dps[dp] for dp in asked if dp in dps}
        )

    def _on_heartbeat(self, *, request: dict, message: TuyaMessage, session: Session) -> list[bytes]:
        return [session.frame(seqno=message.seqno, cmd=message.cmd)]

    def _ack_and_push(self, *, message: TuyaMessage, session: Session, dps: dict) -> list[bytes]:
        # Devices acknowledge with an empty frame, then report the changed DPs in a STATUS push.
        push = session.encoded(body=self._status_json(dps=dps, session=session), push=True)
        return [
            session.frame(seqno=message.seqno, cmd=message.cmd),
            session.frame(seqno=session.next_seqno(), cmd=tinytuya.STATUS, payload=push),
        ]


_HANDLERS: dict[int, Callable[..., list[bytes]]] = {
    tinytuya.DP_QUERY: TuyaSimulator._on_query,
    tinytuya.DP_QUERY_NEW: TuyaSimulator._on_query,
    tinytuya.CONTROL: TuyaSimulator._on_control,
    tinytuya.CONTROL_NEW: TuyaSimulator._on_control,
    tinytuya.UPDATEDPS: TuyaSimulator._on_updatedps,
    tinytuya.HEART_BEAT: TuyaSimulator._on_heartbeat,
}


class _Server(socketserver.TCPServer):
    """One client at a time, as real Tuya devices: the next connection waits until the current one closes.

    This also keeps a client's requests in order when it uses one connection per command, as tinytuya does.
    """

    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, simulator: TuyaSimulator):
        self.simulator = simulator
        self.stopping = False
        self.client: socket.socket | None = None
        super().__init__(address, _ConnectionHandler)

    def stop(self) -> None:
        self.stopping = True
        client = self.client
        if client is not None:
            try:
                client.shutdown(socket.SHUT_RDWR)  # serve_forever() is inside this client's handler
            except OSError:
                pass
        self.shutdown()
        self.server_close()


class _ConnectionHandler(socketserver.BaseRequestHandler):
    server: _Server

    def setup(self) -> None:
        self.server.client = self.request
        # Devices drop a client that stays quiet; tinytuya's monitor examples send a heartbeat every 12 s.
        self.request.settimeout(IDLE_TIMEOUT_S)

    def handle(self) -> None:
        simulator = self.server.simulator
        session = Session(version=simulator.version, local_key=simulator.local_key)
        try:
            while not self.server.stopping and (
                message := _message_receive(connection=self.request, session=session)
            ):
                for frame in simulator.answer(message=message, session=session):
                    self.request.sendall(frame)
        except (OSError, ValueError, tinytuya.DecodeError) as error:
            # A client that hangs up early, or sends what no Tuya device would parse: drop the connection.
            log.debug("Tuya simulator closes a connection: %s", error)

    def finish(self) -> None:
        self.server.client = None


def _message_receive(*, connection: socket.socket, session: Session) -> TuyaMessage | None:
    data = _exactly(connection=connection, size=_HEADER_READ)
    if data is None:
        return None
    header = parse_header(data)
    if header.prefix != session.prefix:
        raise tinytuya.DecodeError(f"a {header.prefix:08X} frame on a protocol {session.version} device")
    rest = _exactly(connection=connection, size=header.total_length - len(data))
    if rest is None:
        return None
    # Clients send no retcode. The device does not drop frames whose CRC/HMAC fails: it tries to decrypt
    # them and answers "data format error", which is how a wrong local key shows on a real plug.
    return unpack_message(data + rest, hmac_key=session.hmac_key, header=header, no_retcode=True)


def _exactly(*, connection: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def tuya_simulator_serve(
    *,
    host: str = "127.0.0.1",
    port: int,
    device_id: str,
    local_key: str,
    version: str = "3.3",
    preset: str = "plug_v33",
) -> None:
    """Run a simulated Tuya device until KeyboardInterrupt."""
    simulator = TuyaSimulator(
        host=host, port=port, device_id=device_id, local_key=local_key, version=version, preset=preset
    )
    bound = simulator.start()
    log.info(
        "Tuya simulator %s (protocol %s, device %s) listening on %s:%d",
        preset,
        version,
        device_id,
        host,
        bound,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
