"""Where a device may make the server connect.

A device's host and port make the platform open a connection from inside its own network, on a client
user's say-so. Meters live on private LANs (10.x, 192.168.x), so those stay allowed; what is refused is
what no meter is and an attacker would aim at: link-local and cloud metadata addresses, the unspecified
address, the platform's own database, Redis and web server, and loopback (unless DEVICE_ALLOW_LOOPBACK,
on by default only with DEBUG, for the demo's simulators on 127.0.0.1). A serial port is a device, or a
TCP link held to the same rule.

The rule is applied when a config is saved and again when a connection is opened (a name may resolve
differently later); the caller then connects to the address that was checked, never re-resolves.
"""

import ipaddress
import re
import socket
import urllib.parse

from django.conf import settings

from meters.errors import MeterError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
HOST_PATTERN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})$")
# What a serial port may be: a device node (a pseudo-terminal too: socat's virtual ports), a Windows COM
# port, or a TCP link to a serial server. Never another pyserial URL: spy://, loop://, hwgrep:// and the
# rest open files or scan devices.
SERIAL_DEVICE_PATH = re.compile(
    r"^/dev/(tty[A-Za-z0-9_.-]{1,64}|pts/[0-9]{1,6}|serial/by-(id|path)/[A-Za-z0-9_.:+@=,-]{1,200})$"
)
WINDOWS_COM_PORT = re.compile(r"^COM[1-9][0-9]{0,2}$")
SERIAL_URL_SCHEMES = ("socket", "rfc2217")
# AWS's IPv6 instance metadata endpoint; the IPv4 ones (169.254.169.254 and friends) are link-local.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("fd00:ec2::254")})


class AddressRefused(ValueError):
    """The device may not make the server connect there; the message says why."""


def address_refusal(*, address: Address, port: int) -> str | None:
    """Why the server must not connect to `address`:`port`, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return "is the unspecified address"
    if address.is_link_local or address in METADATA_ADDRESSES:
        return "is a link-local or cloud metadata address"
    if _platform_endpoint(address=address, port=port):
        return "is one of the platform's own services"
    if address.is_loopback and not settings.DEVICE_ALLOW_LOOPBACK:
        return "is a loopback address (DEVICE_ALLOW_LOOPBACK is off)"
    return None


def host_resolve_checked(*, host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, after checking every one; raises AddressRefused naming the
    first refused, OSError (socket.gaierror) when the name does not resolve."""
    addresses = _resolve(host=host, port=port)
    for address in addresses:
        refusal = address_refusal(address=address, port=port)
        if refusal:
            shown = host if host == str(address) else f"{host} ({address})"
            raise AddressRefused(f"{shown} {refusal}")
    return [str(address) for address in addresses]


def tcp_address_checked(*, host: str, port: int) -> str:
    """The address to connect to: `host` resolved now and held to the rule (a stored config was checked
    when saved, but a name may resolve elsewhere since). Connecting to the checked address, not the
    name, leaves no second lookup to answer differently. Raises MeterError naming the cause."""
    try:
        return host_resolve_checked(host=host, port=port)[0]
    except AddressRefused as refusal:
        raise MeterError(f"connection refused by policy: {refusal}") from None
    except socket.gaierror as error:
        raise MeterError(f"cannot resolve {host}: {error.strerror}") from None


def host_save_check(*, host: str, port: int) -> None:
    """The save-time rule: a name that does not resolve here is let through (it may resolve on the
    meters' LAN, from a collector), since the same rule applies again at connection time."""
    try:
        host_resolve_checked(host=host, port=port)
    except OSError:
        return


def _resolve(*, host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:  # an empty or over-long label ("a..b"): no name at all
        raise socket.gaierror(socket.EAI_NONAME, "not a valid host name") from None
    # An IPv6 answer may carry a zone ("fe80::1%eth0"): the address is what comes before it.
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


def _platform_endpoint(*, address: Address, port: int) -> bool:
    for endpoint_addresses, endpoint_port in _platform_endpoints():
        if port != endpoint_port:
            continue
        if address in endpoint_addresses:
            return True
        # A service bound to the unspecified or a loopback address answers on every loopback address.
        if address.is_loopback and any(a.is_loopback or a.is_unspecified for a in endpoint_addresses):
            return True
    return False


def _platform_endpoints() -> list[tuple[frozenset[Address], int]]:
    endpoints = []
    for url in settings.PLATFORM_SERVICE_URLS:
        parts = urllib.parse.urlsplit(url)
        try:
            addresses = frozenset(_resolve(host=parts.hostname, port=parts.port))
        except OSError:
            continue
        endpoints.append((addresses, parts.port))
    return endpoints


def serial_port_clean(value) -> str:
    """The serial port, if it is one: a device path, COMn, or socket:// / rfc2217:// host:port; raises
    ValueError saying what is accepted."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty serial port")
    value = value.strip()
    if (SERIAL_DEVICE_PATH.match(value) and ".." not in value) or WINDOWS_COM_PORT.match(value):
        return value
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in SERIAL_URL_SCHEMES or parts.path or parts.query or parts.fragment or "@" in value:
        raise ValueError(
            "must be a device path (/dev/ttyUSB0, /dev/serial/by-id/...), COMn, or socket://host:port or "
            "rfc2217://host:port"
        )
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or not HOST_PATTERN.match(parts.hostname) or not port:
        raise ValueError(f"{parts.scheme}:// needs a host name or IP address and a port from 1 to 65535")
    return value


def serial_url_endpoint(port: str) -> tuple[str, int] | None:
    """The TCP host and port of a socket:// or rfc2217:// serial port; None for a local device."""
    parts = urllib.parse.urlsplit(port)
    if parts.scheme not in SERIAL_URL_SCHEMES:
        return None
    return parts.hostname, parts.port
