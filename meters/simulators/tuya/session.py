"""One client connection's protocol state: keys, the 3.4+ session-key negotiation, the device's sequence
number, and the framing and encryption of each protocol version (tinytuya's own helpers)."""

import hmac
import json
import os
import struct
from hashlib import md5, sha256

import tinytuya
from tinytuya import AESCipher, TuyaMessage, pack_message


class Session:
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
