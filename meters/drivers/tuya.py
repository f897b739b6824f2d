"""Tuya energy devices through tinytuya: the local LAN protocol (mode "local") or the Tuya cloud ("cloud").

tinytuya reports most failures as dicts (``{"Error": ..., "Err": "901", "Payload": ...}``) instead of
raising; each one becomes the typed error of meters.errors here, so callers never see tinytuya's codes.

Bounds on a local read, with tinytuya's retry limit set to ``max(1, retries)``: that many connection
attempts 0.5 s apart, and the request sent at most ``max(1, retries) + 1`` times, each waiting
``timeout`` for an answer (tinytuya always re-sends once to a silent device).

A cloud read reuses the project's access token (per process, shared by every device read with the same
region and keys) until shortly before it expires; tinytuya asks for a new one once when the cloud calls
it invalid. So a device polled every 30 s costs one status request per read, not two.
"""

import hashlib
import threading
import time
from collections.abc import Callable

import requests
import tinytuya

from meters.addresses import tcp_address_checked
from meters.drivers.tuya_presets import tuya_decode, tuya_dps_from_cloud, tuya_preset
from meters.errors import MalformedResponse, MeterConnectionRefused, MeterError, MeterTimeout, TuyaKeyError

LOCAL_KEY_LENGTH = 16
BAD_KEY_MESSAGE = "bad Tuya local key: device answered but payload did not decrypt"
_CONNECT_RETRY_DELAY_S = 0.5
# A cloud read is one HTTPS request (the status) on a cached token, two with a new one (token, status).
_CLOUD_REQUESTS = 2
# A cached token this close to its expiry is not used: fetch a fresh one rather than fail mid-read.
TOKEN_EXPIRY_MARGIN_S = 60.0

# tinytuya error code -> (error, message) for a device that sent nothing back we could read.
_LOCAL_FAILURES: dict[int, tuple[type[MeterError], str]] = {
    tinytuya.ERR_CONNECT: (MeterConnectionRefused, "Tuya device at {where} refused the connection"),
    tinytuya.ERR_OFFLINE: (
        MeterTimeout,
        "Tuya device at {where} did not accept a connection within {timeout:g} s",
    ),
    tinytuya.ERR_TIMEOUT: (MeterTimeout, "Tuya device at {where} did not answer within {timeout:g} s"),
    tinytuya.ERR_PAYLOAD: (
        MeterConnectionRefused,
        "Tuya device at {where} closed the connection without answering "
        "(another client connected, or not protocol {version}?)",
    ),
    tinytuya.ERR_KEY_OR_VER: (
        MeterTimeout,
        "Tuya device at {where} gave no usable answer to the protocol {version} session key negotiation "
        "(wrong local key, or device busy?)",
    ),
}
# The same codes, when the device did send frames back: they did not decrypt or verify with our key.
_UNDECRYPTABLE = {tinytuya.ERR_JSON, tinytuya.ERR_PAYLOAD, tinytuya.ERR_KEY_OR_VER}


def tuya_read(*, config: dict) -> dict[str, float]:
    """One reading of a validated "tuya" device config, in catalog metrics; raises MeterError subclasses."""
    dps = _MODE_READERS[config["mode"]](config=config)
    metrics = tuya_decode(preset=config["preset"], dps=dps)
    if not metrics:
        raise MalformedResponse(
            f"Tuya device {config['device_id']} sent none of the data points of preset {config['preset']} "
            f"(it sent {', '.join(sorted(dps)) or 'nothing'})"
        )
    return metrics


def _local_dps(*, config: dict) -> dict:
    _local_key_check(config=config)
    try:
        device = tinytuya.OutletDevice(
            dev_id=config["device_id"],
            address=tcp_address_checked(host=config["address"], port=config["port"]),
            local_key=config["local_key"],
            version=float(config["version"]),
            port=config["port"],
            connection_timeout=config["timeout"],
            connection_retry_limit=max(1, config["retries"]),
            connection_retry_delay=_CONNECT_RETRY_DELAY_S,
        )
    except RuntimeError as error:  # address "Auto": tinytuya scanned the LAN and found nothing
        raise MeterConnectionRefused(f"Tuya device {config['device_id']}: {error}") from error
    try:
        refresh = tuya_preset(name=config["preset"]).refresh_dps
        if refresh:
            # Fire and forget: the plug refreshes its readings before the status request that follows,
            # and waiting for its optional STATUS push would cost a full timeout on plugs that send none.
            _local_reply_check(
                reply=device.updatedps(index=list(refresh), nowait=True), device=device, config=config
            )
        reply = device.status()
    finally:
        device.close()
    _local_reply_check(reply=reply, device=device, config=config)
    if not isinstance(reply, dict) or not isinstance(reply.get("dps"), dict):
        raise MalformedResponse(
            f"Tuya device at {_where(config=config)} answered without data points: {reply!r:.200}"
        )
    return reply["dps"]


def _local_key_check(*, config: dict) -> None:
    # tinytuya refuses such a key before connecting, with the same code as a failed handshake; say why.
    if config["version"] != "3.1" and len(config["local_key"]) != LOCAL_KEY_LENGTH:
        raise TuyaKeyError(
            f"bad Tuya local key: must be {LOCAL_KEY_LENGTH} characters, got {len(config['local_key'])}"
        )


def _local_reply_check(*, reply: dict | None, device: tinytuya.OutletDevice, config: dict) -> None:
    if not isinstance(reply, dict) or "Err" not in reply:
        return
    code = int(reply["Err"])
    if code in _UNDECRYPTABLE and device.raw_recv:
        raise TuyaKeyError(BAD_KEY_MESSAGE)
    error, message = _LOCAL_FAILURES.get(
        code, (MeterError, "Tuya device at {where}: {tinytuya} (tinytuya {code})")
    )
    raise error(
        message.format(
            where=_where(config=config),
            timeout=config["timeout"],
            version=config["version"],
            tinytuya=reply.get("Error"),
            code=code,
        )
    )


def _where(*, config: dict) -> str:
    return f"{config['address']}:{config['port']}"


def _cloud_dps(*, config: dict) -> dict:
    status = _call_with_deadline(
        lambda: _cloud_status(config=config),
        seconds=_CLOUD_REQUESTS * config["timeout"],
        what=f"Tuya cloud (region {config['api_region']})",
    )
    return tuya_dps_from_cloud(preset=config["preset"], status=status)


class _CloudToken:
    def __init__(self, *, value: str, expires_at: float):
        self.value, self.expires_at = value, expires_at


# (region, key, digest of the secret) -> the project's access token, as tinytuya last held it.
CLOUD_TOKENS: dict[tuple[str, str, str], _CloudToken] = {}
_cloud_tokens_lock = threading.Lock()


class _Cloud(tinytuya.Cloud):
    """tinytuya.Cloud remembering its token's lifetime, which tinytuya reads and drops."""

    token_expires_at = 0.0

    def _tuyaplatform(self, uri, *args, **kwargs):
        reply = super()._tuyaplatform(uri, *args, **kwargs)
        if uri.startswith("token?") and isinstance(reply, dict) and reply.get("success"):
            self.token_expires_at = time.monotonic() + float(reply["result"].get("expire_time", 0))
        return reply


def _cloud_token_key(*, config: dict) -> tuple[str, str, str]:
    secret = hashlib.sha256(config["api_secret"].encode()).hexdigest()
    return config["api_region"], config["api_key"], secret


def _cloud_open(*, config: dict) -> _Cloud:
    """A cloud session on the cached token, or on a new one (fetched once for concurrent first reads)."""
    key = _cloud_token_key(config=config)
    keys = {"apiRegion": config["api_region"], "apiKey": config["api_key"], "apiSecret": config["api_secret"]}
    with _cloud_tokens_lock:
        cached = CLOUD_TOKENS.get(key)
        if cached is not None and cached.expires_at - TOKEN_EXPIRY_MARGIN_S > time.monotonic():
            cloud = _Cloud(**keys, initial_token=cached.value)
            cloud.token_expires_at = cached.expires_at
            return cloud
        cloud = _Cloud(**keys)
        _cloud_token_keep(key=key, cloud=cloud)
        return cloud


def _cloud_token_keep(*, key: tuple[str, str, str], cloud: _Cloud) -> None:
    if cloud.token:
        CLOUD_TOKENS[key] = _CloudToken(value=cloud.token, expires_at=cloud.token_expires_at)
    else:
        CLOUD_TOKENS.pop(key, None)


def _cloud_status(*, config: dict) -> list[dict]:
    try:
        cloud = _cloud_open(config=config)
        reply = cloud.getstatus(config["device_id"])
        with _cloud_tokens_lock:
            # tinytuya may have replaced a token the cloud refused.
            _cloud_token_keep(key=_cloud_token_key(config=config), cloud=cloud)
    except requests.RequestException as error:
        raise MeterConnectionRefused(
            f"cannot reach the Tuya cloud (region {config['api_region']}): {type(error).__name__}"
        ) from error
    if "Err" in reply:
        raise MeterError(f"Tuya cloud: {reply.get('Payload') or reply.get('Error')}")
    if not isinstance(reply.get("result"), list):
        raise MalformedResponse(
            f"Tuya cloud status of {config['device_id']} has no result list: {reply!r:.200}"
        )
    return reply["result"]


def _call_with_deadline(call: Callable[[], list[dict]], *, seconds: float, what: str) -> list[dict]:
    # tinytuya.Cloud calls requests without a timeout, so a cloud that stops answering would hold the
    # caller forever. The call runs on a daemon thread that is abandoned (not killed) past the deadline.
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 - handed over to the waiting thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name="tuya-cloud", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise MeterTimeout(f"{what} did not answer within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


_MODE_READERS: dict[str, Callable[..., dict]] = {"local": _local_dps, "cloud": _cloud_dps}
