"""Per-device ingest tokens: a meter or gateway that pushes readings holds a secret valid for its own
device only. Only a SHA-256 of it is stored; the secret is shown once, when it is made. It is random
and long, so a plain hash is enough: there is no password to guess."""

import hashlib
import secrets

DEVICE_TOKEN_PREFIX = "pdt_"  # noqa: S105 - a marker telling device tokens from JWTs, not a secret


def device_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_token_make() -> tuple[str, str]:
    """A new token and its hash."""
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, device_token_hash(token)
