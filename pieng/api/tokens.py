"""Bearer secrets the platform makes (device ingest tokens, master-slave link tokens): random and long,
shown once when made; only a SHA-256 of each is stored. A plain hash is enough: there is no password to
guess."""

import hashlib
import secrets


def secret_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def secret_token_make(*, prefix: str) -> tuple[str, str]:
    """A new token starting with `prefix` (which tells its kind at a glance), and its hash."""
    token = prefix + secrets.token_urlsafe(32)
    return token, secret_token_hash(token)
