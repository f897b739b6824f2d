"""What each kind of channel needs in its `config`, which of it is secret, and how a message is sent.

`channel_config_clean` is the one gate (API and admin alike). Secrets are write-only: they are shown as
MASK, and a config that omits one or sends MASK keeps the stored value.

Senders answer with a `Sent` (delivered, retry later, or give up) rather than raising: the outbox decides
what happens next.
"""

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator

from meters.addresses import AddressRefused, host_resolve_checked, host_save_check
from meters.config import ConfigError

MASK = "***"
SEND_TIMEOUT_S = 10.0
# Answers that mean "not now" rather than "never".
RETRYABLE_STATUSES = frozenset({408, 425, 429})
PHONE_PATTERN = re.compile(r"^\+?[0-9]{8,15}$")
CHAT_ID_PATTERN = re.compile(r"^(-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32})$")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9:_-]{8,128}$")
SID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{4,64}$")
MAX_RECIPIENTS = 20


def _text(*, pattern: re.Pattern, what: str) -> Callable[[Any], str]:
    def check(value) -> str:
        if not isinstance(value, str) or not pattern.match(value.strip()):
            raise ValueError(f"must be a valid {what}")
        return value.strip()

    return check


def _url(value) -> str:
    if not isinstance(value, str) or len(value) > 500:
        raise ValueError("must be an http(s) URL of at most 500 characters")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValueError("has an invalid port") from None
    # The server posts there: a client's channel may not aim it at metadata, its own services or loopback
    # (the rule of device addresses, meters.addresses).
    try:
        host_save_check(host=parts.hostname, port=port)
    except AddressRefused as refusal:
        raise ValueError(f"may not be used: {refusal}") from None
    return value.strip()


def _secret(value) -> str:
    if not isinstance(value, str) or not 8 <= len(value) <= 256:
        raise ValueError("must be text of 8 to 256 characters")
    return value


def _addresses(value) -> list[str]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_RECIPIENTS:
        raise ValueError(f"must be a list of 1 to {MAX_RECIPIENTS} e-mail addresses")
    validate = EmailValidator()
    for address in value:
        try:
            validate(address if isinstance(address, str) else "")
        except ValidationError:
            raise ValueError(f"{address!r} is not an e-mail address") from None
    return value


@dataclass(frozen=True)
class ConfigSpec:
    required: dict[str, Callable[[Any], Any]]
    optional: dict[str, Callable[[Any], Any]]
    secrets: tuple[str, ...]


CONFIGS = {
    "email": ConfigSpec(required={"to": _addresses}, optional={}, secrets=()),
    "webhook": ConfigSpec(required={"url": _url, "secret": _secret}, optional={}, secrets=("secret",)),
    "telegram": ConfigSpec(
        required={
            "bot_token": _text(pattern=TOKEN_PATTERN, what="bot token"),
            "chat_id": lambda value: _text(pattern=CHAT_ID_PATTERN, what="chat id")(str(value)),
        },
        optional={},
        secrets=("bot_token",),
    ),
    "sms": ConfigSpec(
        required={
            "account_sid": _text(pattern=SID_PATTERN, what="account SID"),
            "auth_token": _secret,
            "from": _text(pattern=PHONE_PATTERN, what="phone number (e.g. +5511999990000)"),
            "to": _text(pattern=PHONE_PATTERN, what="phone number (e.g. +5511999990000)"),
        },
        optional={"base_url": _url},
        secrets=("auth_token",),
    ),
}


def channel_config_clean(*, kind: str, config: Any, stored: dict | None = None) -> dict:
    """The validated config of a `kind` channel; secrets omitted or masked keep their `stored` values."""
    spec = CONFIGS[kind]
    if not isinstance(config, dict):
        raise ConfigError({"config": "must be a JSON object"})
    stored = stored or {}
    merged = dict(config)
    for name in spec.secrets:
        if merged.get(name, MASK) == MASK and name in stored:
            merged[name] = stored[name]
    errors, clean = {}, {}
    for name in merged.keys() - spec.required.keys() - spec.optional.keys():
        errors[name] = "is not a setting of this kind of channel"
    for name, check in (spec.required | spec.optional).items():
        if name not in merged:
            if name in spec.required:
                errors[name] = "is required"
            continue
        try:
            clean[name] = check(merged[name])
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise ConfigError(errors)
    return clean


def channel_config_masked(*, kind: str, config: dict) -> dict:
    secrets = CONFIGS[kind].secrets if kind in CONFIGS else ()
    return {name: MASK if name in secrets else value for name, value in config.items()}


@dataclass(frozen=True)
class Sent:
    ok: bool
    retry: bool = False
    error: str = ""


def webhook_signature(*, secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _http_send(*, what: str, url: str, send: Callable[[], requests.Response]) -> Sent:
    parts = urlsplit(url)
    try:
        # Checked again when sending: a name may resolve elsewhere than when the channel was saved.
        host_resolve_checked(host=parts.hostname, port=parts.port or (443 if parts.scheme == "https" else 80))
    except AddressRefused as refusal:
        return Sent(ok=False, retry=False, error=f"{what} refused by policy: {refusal}")
    except OSError as error:
        return Sent(ok=False, retry=True, error=f"{what} unreachable: {error}")
    try:
        response = send()
    except requests.RequestException as error:
        return Sent(ok=False, retry=True, error=f"{what} unreachable: {error}")
    if 200 <= response.status_code < 300:
        return Sent(ok=True)
    retry = response.status_code >= 500 or response.status_code in RETRYABLE_STATUSES
    return Sent(ok=False, retry=retry, error=f"{what} answered {response.status_code}: {response.text[:200]}")


def webhook_send(*, config: dict, body: bytes) -> Sent:
    headers = {
        "Content-Type": "application/json",
        "X-Pieng-Signature": webhook_signature(secret=config["secret"], body=body),
    }
    return _http_send(
        what="webhook",
        url=config["url"],
        send=lambda: requests.post(config["url"], data=body, headers=headers, timeout=SEND_TIMEOUT_S),
    )


def telegram_send(*, config: dict, text: str) -> Sent:
    url = f"{settings.TELEGRAM_API_URL.rstrip('/')}/bot{config['bot_token']}/sendMessage"
    payload = {"chat_id": config["chat_id"], "text": text}
    return _http_send(
        what="Telegram", url=url, send=lambda: requests.post(url, json=payload, timeout=SEND_TIMEOUT_S)
    )


def sms_send(*, config: dict, text: str) -> Sent:
    """A Twilio-compatible Messages API: a form POST of To, From and Body with basic auth."""
    base = config.get("base_url") or settings.SMS_API_URL
    url = f"{base.rstrip('/')}/2010-04-01/Accounts/{config['account_sid']}/Messages.json"
    form = {"To": config["to"], "From": config["from"], "Body": text}
    auth = (config["account_sid"], config["auth_token"])
    return _http_send(
        what="SMS gateway",
        url=url,
        send=lambda: requests.post(url, data=form, auth=auth, timeout=SEND_TIMEOUT_S),
    )


def email_send(*, config: dict, subject: str, text: str) -> Sent:
    try:
        send_mail(subject, text, None, config["to"])
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        return Sent(ok=False, retry=True, error=f"mail server: {error}")
    return Sent(ok=True)
