"""A simulated Tuya energy device on TCP, speaking the real local protocol, for tests and demos.

Frames are the real 55AA (protocols 3.1, 3.3, 3.4) and 6699 (3.5) frames, packed, checked and
encrypted with tinytuya's own helpers (pack_message, unpack_message, AESCipher), so the real
tinytuya client can talk to it:

- 3.1: plaintext status, AES-ECB + base64 + MD5 tag on CONTROL and on STATUS pushes.
- 3.3: AES-ECB with the local key, CRC32, "3.3" header on CONTROL and STATUS pushes.
- 3.4: session key negotiated first (commands 3/4/5), then AES-ECB with it, HMAC-SHA256.
- 3.5: the same negotiation, AES-GCM 6699 frames.

It answers DP_QUERY(_NEW), CONTROL(_NEW) (the relay DP switches the load), UPDATEDPS (fresh
measurement, then a STATUS push of the asked DPs, as plugs do) and HEART_BEAT. A request that does not
decrypt with the device's key gets retcode 1 and "data format error" in clear, as captured from real
plugs (rospogrigio/localtuya#1232). Unknown commands get no answer.

Values come from the shared Brazilian site model (meters.simulators.site, 127 V nominal unless its profile
says 220 V, 60 Hz, a load that follows the hour in Brasília time): a plug measures the site's 127 V circuit,
the bidirectional meter clamps phase L1 of the grid, where the rooftop PV makes power negative around noon.
Measurements refresh every REFRESH_S seconds of the site's clock, or at once on UPDATEDPS.

The DP layouts below are written from the device's side on purpose, independently of
meters.drivers.tuya_presets, so that a wrong scale in a preset fails the tests instead of cancelling out.
"""

import hmac
import json
import logging
import os
import socket
import socketserver
import struct
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import md5, sha256

import tinytuya
from tinytuya import AESCipher, TuyaMessage, pack_message, parse_header, unpack_message

from meters.simulators.site import SiteModel, local_hour

log = logging.getLogger(__name__)

VERSIONS = ("3.1", "3.3", "3.4", "3.5")
LOCAL_KEY_LENGTH = 16
REFRESH_S = 2.0
IDLE_TIMEOUT_S = 30.0
ADD_ELE_REPORT_S = 1800  # plugs hand their energy increment to the cloud every 30 min, then restart it
REJECTED = b"data format error"
_HEADER_READ = struct.calcsize(tinytuya.MESSAGE_HEADER_FMT_6699)  # long enough for either frame's header


@dataclass(frozen=True)
class Reading:
    """One measurement, already rounded to the resolution the device's DPs carry."""

    switch: bool | None  # None: the device has no relay
    voltage: float  # V
    current: float  # A
    power: float  # W, > 0 taken from the grid, < 0 sent to it
    power_factor: float
    frequency: float  # Hz
    energy_import: float = 0.0  # kWh counter
    energy_export: float = 0.0  # kWh counter
    add_ele: float = 0.0  # kWh used since the last cloud report (plugs' DP 17)
    pv_power: float = 0.0  # W on the dual meter's channel B
    pv_current: float = 0.0  # A
    pv_energy: float = 0.0  # kWh


@dataclass(frozen=True)
class DeviceKind:
    layout: Callable[[Reading], dict]
    relay_dp: str | None
    # What the device measures on the site: phase L1 of the grid connection, or the 127 V circuit.
    on_grid: bool


def _plug_v33_dps(reading: Reading) -> dict:
    return {
        "1": reading.switch,
        "9": 0,
        "17": round(reading.add_ele * 1000),  # 0.001 kWh, an increment, not a counter
        "18": round(reading.current * 1000),  # mA
        "19": round(reading.power * 10),  # 0.1 W
        "20": round(reading.voltage * 10),  # 0.1 V
        # Test bit, the factory's voltage/current/power/energy calibration, no fault.
        **{"21": 1, "22": 622, "23": 30140, "24": 17320, "25": 1170, "26": 0},
    }


def _plug_v31_dps(reading: Reading) -> dict:
    return {
        "1": reading.switch,
        "2": 0,
        "4": round(reading.current * 1000),  # mA
        "5": round(reading.power * 10),  # 0.1 W
        "6": round(reading.voltage * 10),  # 0.1 V
    }


def _dual_meter_dps(reading: Reading) -> dict:
    # Channel A clamps the grid; channel B the PV inverter output, which the installer oriented FORWARD.
    return {
        # Totals of both channels, as tinytuya's Contrib/WiFiDualMeterDevice places them (0.01 kWh).
        "1": round((reading.energy_import + reading.pv_energy) * 100),
        "2": round(reading.energy_export * 100),
        "101": round(abs(reading.power) * 10),  # 0.1 W, unsigned
        "102": "FORWARD" if reading.power >= 0 else "REVERSE",
        "104": "FORWARD",
        "105": round(reading.pv_power * 10),
        "106": round(reading.energy_import * 100),  # 0.01 kWh
        "107": round(reading.energy_export * 100),
        "108": round(reading.pv_energy * 100),
        "109": 0,
        "110": round(reading.power_factor * 100),
        "111": round(reading.frequency * 100),  # 0.01 Hz
        "112": round(reading.voltage * 10),  # 0.1 V
        "113": round(reading.current * 1000),  # mA
        "114": round(reading.pv_current * 1000),
        "121": 99 if reading.pv_power else 0,
        "129": 10,  # report rate, s
    }


DEVICE_KINDS: dict[str, DeviceKind] = {
    "plug_v33": DeviceKind(layout=_plug_v33_dps, relay_dp="1", on_grid=False),
    "plug_v31": DeviceKind(layout=_plug_v31_dps, relay_dp="1", on_grid=False),
    "dual_meter": DeviceKind(layout=_dual_meter_dps, relay_dp=None, on_grid=True),
}
# Counters of a meter that has been in service for a while.
INITIAL_COUNTERS_KWH = {"import": 1523.46, "export": 842.17, "pv": 3107.55}


def _quantized(value: float, *, per_unit: int) -> float:
    return round(value * per_unit) / per_unit


class _Measurer:
    """The device's metering chip: samples the site, and integrates its energy between samples."""

    def __init__(self, *, kind: DeviceKind, site: SiteModel):
        self.kind = kind
        self.site = site
        self.switch = True if kind.relay_dp else None
        self.counters = {**INITIAL_COUNTERS_KWH, "add_ele": 0.0}
        self.sampled_at = site.now()
        self.reading = self._measure(at=self.sampled_at)

    def refresh(self) -> None:
        now = self.site.now()
        self._integrate(start=self.sampled_at, end=now)
        self.sampled_at = now
        self.reading = self._measure(at=now)

    def switch_set(self, *, on: bool) -> None:
        self.refresh()  # energy used until now was used with the relay as it was
        self.switch = on
        self.reading = self._measure(at=self.sampled_at)

    def _integrate(self, *, start: float, end: float) -> None:
        if end <= start:
            return
        if end // ADD_ELE_REPORT_S != start // ADD_ELE_REPORT_S:
            self.counters["add_ele"] = 0.0
        if not self.kind.on_grid:
            if self.switch:
                self.counters["add_ele"] += self.site.circuit_energy_wh(start=start, end=end) / 1000
            return
        flows = self.site.grid_flows(start=start, end=end)
        self.counters["import"] += flows.import_wh[0] / 1000
        self.counters["export"] += flows.export_wh[0] / 1000
        solar_w = self.site.profile.solar_w(hour=local_hour((start + end) / 2))
        self.counters["pv"] += solar_w * (end - start) / 3_600_000

    def _measure(self, *, at: float) -> Reading:
        if self.kind.on_grid:
            grid = self.site.grid_sample(at=at)
            phase, frequency = grid.phases[0], grid.frequency
            solar_w = self.site.profile.solar_w(hour=local_hour(at))
        else:
            phase, frequency, solar_w = self.site.circuit_sample(at=at), self.site.frequency(at=at), 0.0
        relay_open = self.switch is False
        return Reading(
            switch=self.switch,
            voltage=_quantized(phase.voltage, per_unit=10),
            current=0.0 if relay_open else _quantized(phase.current, per_unit=1000),
            power=0.0 if relay_open else _quantized(phase.power, per_unit=10),
            # The meter reports the magnitude; the direction travels in its own DP.
            power_factor=_quantized(abs(phase.power_factor), per_unit=100),
            frequency=_quantized(frequency, per_unit=100),
            energy_import=_quantized(self.counters["import"], per_unit=100),
            energy_export=_quantized(self.counters["export"], per_unit=100),
            add_ele=_quantized(self.counters["add_ele"], per_unit=1000),
            pv_power=_quantized(solar_w, per_unit=10),
            pv_current=_quantized(solar_w / phase.voltage, per_unit=1000),
            pv_energy=_quantized(self.counters["pv"], per_unit=100),
        )


class _Session:
    """Per-connection protocol state: keys, the 3.4+ session key negotiation, the device's sequence number."""

    def __init__(self, *, version: str, local_key: bytes):
        self.version = version
        self.real_key = local_key
        self.key = local_key
        self.client_nonce = b""
        self.device_nonce = b""
        self.seqno = 0

    @property
    def prefix(self) -> int:
        return tinytuya.PREFIX_6699_VALUE if self.version == "3.5" else tinytuya.PREFIX_55AA_VALUE

    @property
    def hmac_key(self) -> bytes | None:
        return self.key if self.version in ("3.4", "3.5") else None

    def next_seqno(self) -> int:
        self.seqno += 1
        return self.seqno

    def request_json(self, message: TuyaMessage) -> dict:
        """The request's JSON; raises ValueError when it does not decrypt with our key."""
        body = self._plaintext(message)
        header = self.version.encode() + tinytuya.PROTOCOL_3x_HEADER
        if body.startswith(header):
            body = body[len(header) :]
        return json.loads(body) if body else {}

    def _plaintext(self, message: TuyaMessage) -> bytes:
        cipher = AESCipher(self.key)
        if self.version == "3.1":
            if message.payload.startswith(b"3.1"):  # CONTROL: "3.1" + 16 MD5 hex digits + base64(AES)
                return cipher.decrypt(message.payload[19:], decode_text=False, verify_padding=True)
            return message.payload
        if self.version == "3.5":
            if not message.crc_good:  # the GCM tag did not verify
                raise ValueError("GCM tag mismatch")
            return message.payload
        payload = message.payload
        if self.version == "3.3" and payload.startswith(b"3.3"):
            payload = payload[len(tinytuya.PROTOCOL_33_HEADER) :]
        return cipher.decrypt(payload, use_base64=False, decode_text=False, verify_padding=True)

    def frame(self, *, seqno: int, cmd: int, payload: bytes = b"", retcode: int = 0) -> bytes:
        """A device-to-client frame around an already encoded payload."""
        if self.version == "3.5":
            # 3.5 devices number every frame themselves; pack_message encrypts with AES-GCM.
            message = TuyaMessage(
                self.next_seqno(), cmd, retcode, payload, 0, True, tinytuya.PREFIX_6699_VALUE, True
            )
            return pack_message(message, hmac_key=self.key)
        payload = struct.pack(tinytuya.MESSAGE_RETCODE_FMT, retcode) + payload
        message = TuyaMessage(seqno, cmd, None, payload, 0, True, tinytuya.PREFIX_55AA_VALUE, None)
        return pack_message(message, hmac_key=self.hmac_key)

    def encoded(self, *, body: bytes, push: bool = False) -> bytes:
        """A JSON body as this protocol version sends it; pushes carry the version header."""
        cipher = AESCipher(self.key)
        header = self.version.encode() + tinytuya.PROTOCOL_3x_HEADER if push else b""
        if self.version == "3.1":
            if not push:
                return body
            encrypted = cipher.encrypt(body)
            signed = b"data=" + encrypted + b"||lpv=3.1||" + self.key
            digest = md5(signed, usedforsecurity=False).hexdigest()[8:24]
            return b"3.1" + digest.encode() + encrypted
        if self.version == "3.3":
            return header + cipher.encrypt(body, use_base64=False)
        if self.version == "3.4":
            return cipher.encrypt(header + body, use_base64=False)
        return header + body

    def negotiation_reply(self, message: TuyaMessage) -> bytes:
        """Answer to the client's nonce (command 3): our nonce and the HMAC of theirs."""
        self.key = self.real_key
        self.client_nonce = self._negotiation_payload(message)[:16]
        self.device_nonce = os.urandom(16)
        body = self.device_nonce + hmac.new(self.real_key, self.client_nonce, sha256).digest()
        if self.version == "3.4":
            body = AESCipher(self.real_key).encrypt(body, use_base64=False)
        return self.frame(seqno=message.seqno, cmd=tinytuya.SESS_KEY_NEG_RESP, payload=body)

    def negotiation_finish(self, message: TuyaMessage) -> None:
        """The client proved it holds the key (command 5): derive the session key, as tinytuya does."""
        if (
            self._negotiation_payload(message)[:32]
            != hmac.new(self.real_key, self.device_nonce, sha256).digest()
        ):
            raise ValueError("session key negotiation: client HMAC mismatch")
        mixed = bytes(a ^ b for a, b in zip(self.client_nonce, self.device_nonce, strict=True))
        cipher = AESCipher(self.real_key)
        if self.version == "3.4":
            self.key = cipher.encrypt(mixed, use_base64=False, pad=False)
        else:
            self.key = cipher.encrypt(mixed, use_base64=False, pad=False, iv=self.client_nonce[:12])[12:28]

    def _negotiation_payload(self, message: TuyaMessage) -> bytes:
        if self.version == "3.4":
            return AESCipher(self.real_key).decrypt(
                message.payload, use_base64=False, decode_text=False, verify_padding=True
            )
        if not message.crc_good:
            raise ValueError("GCM tag mismatch")
        return message.payload


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
        self._measurer = _Measurer(kind=self._kind, site=site or SiteModel())
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

    def answer(self, *, message: TuyaMessage, session: _Session) -> list[bytes]:
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

    def _status_json(self, *, dps: dict, session: _Session) -> bytes:
        now = int(self._measurer.site.now())
        if session.version in ("3.4", "3.5"):
            document = {"protocol": 4, "t": now, "data": {"dps": dps}}
        else:
            document = {"devId": self.device_id, "dps": dps, "t": now}
        return json.dumps(document, separators=(",", ":")).encode()

    def _dps(self) -> dict:
        return self._kind.layout(self._measurer.reading)

    def _on_query(self, *, request: dict, message: TuyaMessage, session: _Session) -> list[bytes]:
        if self._measurer.site.now() - self._measurer.sampled_at >= REFRESH_S:
            self._measurer.refresh()
        body = self._status_json(dps=self._dps(), session=session)
        return [session.frame(seqno=message.seqno, cmd=message.cmd, payload=session.encoded(body=body))]

    def _on_control(self, *, request: dict, message: TuyaMessage, session: _Session) -> list[bytes]:
        changes = request.get("dps") or request.get("data", {}).get("dps") or {}
        if self._kind.relay_dp in changes:
            self._measurer.switch_set(on=bool(changes[self._kind.relay_dp]))
        dps = self._dps()
        return self._ack_and_push(
            message=message, session=session, dps={dp: dps[dp] for dp in changes if dp in dps}
        )

    def _on_updatedps(self, *, request: dict, message: TuyaMessage, session: _Session) -> list[bytes]:
        self._measurer.refresh()
        dps = self._dps()
        asked = (str(dp) for dp in request.get("dpId", []))
        return self._ack_and_push(
            message=message, session=session, dps={dp: dps[dp] for dp in asked if dp in dps}
        )

    def _on_heartbeat(self, *, request: dict, message: TuyaMessage, session: _Session) -> list[bytes]:
        return [session.frame(seqno=message.seqno, cmd=message.cmd)]

    def _ack_and_push(self, *, message: TuyaMessage, session: _Session, dps: dict) -> list[bytes]:
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
        session = _Session(version=simulator.version, local_key=simulator.local_key)
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


def _message_receive(*, connection: socket.socket, session: _Session) -> TuyaMessage | None:
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
