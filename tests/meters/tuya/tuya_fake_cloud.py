"""A fake Tuya cloud at the wire: an HTTPS proxy that terminates TLS as Tuya's OpenAPI hosts.

tinytuya.Cloud hard-codes ``https://<region host>/...`` and asks for a token inside its constructor, so
its ``urlhost`` attribute cannot be pointed elsewhere in time, and the device config has no field for it.
What tinytuya does honour, through requests, is the environment: ``HTTPS_PROXY`` sends every request
through this proxy (HTTP CONNECT), and ``REQUESTS_CA_BUNDLE`` makes requests trust the test CA that
signed the proxy's certificate for the Tuya hosts. Neither tinytuya nor our code is patched.

The proxy answers like the OpenAPI: it checks the request signature with the project's secret and
replies with the response files of tests/meters/tuya/cloud_responses/. Each token it issues is new
(`token.json`'s, numbered); `tokens_revoke()` makes every issued token invalid, as its expiry does.
"""

import datetime
import hashlib
import hmac
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

RESPONSES = Path(__file__).parent / "cloud_responses"
# The data centre hosts of tinytuya.Cloud.setregion().
TUYA_HOSTS = (
    "openapi.tuyacn.com",
    "openapi.tuyaus.com",
    "openapi-ueaz.tuyaus.com",
    "openapi.tuyaeu.com",
    "openapi-weaz.tuyaeu.com",
    "openapi.tuyain.com",
    "openapi-sg.iotbing.com",
)


def response_file(name: str) -> dict:
    return json.loads((RESPONSES / name).read_text())


def tls_files_write(*, directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate it signs for the Tuya hosts: (CA, certificate, key) PEM paths."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pieng test CA")])

    def builder(subject: x509.Name, key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        )

    usage = dict.fromkeys(
        (
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    ca = (
        builder(ca_name, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, **usage), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, TUYA_HOSTS[0])]), leaf_key)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(host) for host in TUYA_HOSTS]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = directory / "ca.pem", directory / "tuya.pem", directory / "tuya.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return paths


class FakeTuyaCloud(ThreadingHTTPServer):
    """Serves ``statuses`` (device id -> response file) to the project ``access_id``/``access_secret``."""

    daemon_threads = True

    def __init__(self, *, tls: ssl.SSLContext, access_id: str, access_secret: str, statuses: dict[str, str]):
        self.tls = tls
        self.access_id = access_id
        self.access_secret = access_secret
        self.statuses = statuses
        self.tunnels: list[str] = []  # the host:port of every CONNECT, in order
        self.requests: list[str] = []  # the path and query of every API request, in order
        self.silent = False  # accept the connection, then never answer
        self.released = threading.Event()
        self.token_lifetime_s = 7200
        self._issued = 0
        self._valid_tokens: set[str] = set()
        super().__init__(("127.0.0.1", 0), _TuyaApiHandler)

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def tokens_revoke(self) -> None:
        self._valid_tokens.clear()

    def answer(self, *, method: str, target: str, headers, body: bytes) -> dict:
        self.requests.append(target)
        path = urlsplit(target).path
        token = headers.get("access_token", "")
        if not self._signature_is_valid(
            method=method, target=target, headers=headers, body=body, token=token
        ):
            return response_file("sign_invalid.json")
        if path == "/v1.0/token":
            return self._token_issue()
        if token not in self._valid_tokens:
            return response_file("token_invalid.json")
        device_id = path.removeprefix("/v1.0/iot-03/devices/").removesuffix("/status")
        if device_id in self.statuses:
            return response_file(self.statuses[device_id])
        return response_file("permission_deny.json")

    def _token_issue(self) -> dict:
        document = response_file("token.json")
        self._issued += 1
        token = f"{document['result']['access_token'][:-4]}{self._issued:04d}"
        self._valid_tokens.add(token)
        document["result"] |= {"access_token": token, "expire_time": self.token_lifetime_s}
        return document

    def _signature_is_valid(self, *, method: str, target: str, headers, body: bytes, token: str) -> bool:
        # Tuya's request signature: HMAC-SHA256 over client id, token, time and the request's digest.
        signed_headers = [name for name in headers.get("Signature-Headers", "").split(":") if name]
        string_to_sign = "\n".join(
            (
                method,
                hashlib.sha256(body).hexdigest(),
                "".join(f"{name}:{headers[name]}\n" for name in signed_headers),
                target,
            )
        )
        message = self.access_id + token + headers.get("t", "") + string_to_sign
        expected = hmac.new(self.access_secret.encode(), message.encode(), hashlib.sha256).hexdigest().upper()
        return headers.get("client_id") == self.access_id and hmac.compare_digest(
            expected, headers.get("sign", "")
        )


class _TuyaApiHandler(BaseHTTPRequestHandler):
    server: FakeTuyaCloud

    def do_CONNECT(self) -> None:
        self.server.tunnels.append(self.path)
        if self.server.silent:
            self.server.released.wait()
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.connection = self.server.tls.wrap_socket(self.connection, server_side=True)
        self.rfile = self.connection.makefile("rb")
        self.wfile = self.connection.makefile("wb")
        # The HTTPS requests follow inside the tunnel, on the same connection.
        self.close_connection = False

    def do_GET(self) -> None:
        self._api()

    def do_POST(self) -> None:
        self._api()

    def _api(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        document = self.server.answer(method=self.command, target=self.path, headers=self.headers, body=body)
        payload = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def finish(self) -> None:
        super().finish()
        self.connection.close()

    def log_message(self, *args) -> None:
        pass  # keep the test output quiet
