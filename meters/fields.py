"""A device config column whose secret fields are encrypted at rest.

The secrets of a config (config.SECRET_FIELDS: a Tuya local key, cloud access id and secret) are stored
as Fernet tokens (`cryptography`: AES-128-CBC with HMAC-SHA256), so a database dump or backup holds no
usable credential. The key is FIELD_ENCRYPTION_KEY, or SECRET_KEY when that is unset, stretched with
HKDF. Everything above the database sees plain values: the field encrypts on the way in and decrypts on
the way out.
"""

import base64
import logging
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

from meters.config import SECRET_FIELDS

log = logging.getLogger(__name__)
ENCRYPTED_PREFIX = "fernet:"


@cache
def _fernet(key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"pieng device secrets").derive(
        key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _cipher() -> Fernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY)


def secret_encrypt(value: str) -> str:
    if value.startswith(ENCRYPTED_PREFIX):
        return value
    return ENCRYPTED_PREFIX + _cipher().encrypt(value.encode()).decode("ascii")


def secret_decrypt(value: str) -> str:
    if not value.startswith(ENCRYPTED_PREFIX):
        return value  # written before encryption: the migration encrypts it, reads still work
    try:
        return _cipher().decrypt(value.removeprefix(ENCRYPTED_PREFIX).encode("ascii")).decode()
    except InvalidToken:
        # The key changed (SECRET_KEY rotated without FIELD_ENCRYPTION_KEY): the secret is lost, not shown.
        log.error("a device secret does not decrypt with the current key; enter it again")
        return ""


def _secrets_mapped(config, transform, secret_fields: frozenset[str]):
    if not isinstance(config, dict):
        return config
    return {
        key: transform(value) if key in secret_fields and isinstance(value, str) else value
        for key, value in config.items()
    }


class ConfigField(models.JSONField):
    """A JSON config whose `secret_fields` (a device's, unless named) are encrypted at rest."""

    def __init__(self, *args, secret_fields=SECRET_FIELDS, **kwargs):
        self.secret_fields = frozenset(secret_fields)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.secret_fields != frozenset(SECRET_FIELDS):
            kwargs["secret_fields"] = sorted(self.secret_fields)
        return name, path, args, kwargs

    def get_prep_value(self, value):
        return super().get_prep_value(_secrets_mapped(value, secret_encrypt, self.secret_fields))

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return _secrets_mapped(value, secret_decrypt, self.secret_fields)
