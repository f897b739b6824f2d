from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused when DEBUG is off
DEVELOPMENT_PASSWORDS = frozenset({"admin", "demo"})


def refuse_insecure_defaults(*, secret_key: str, passwords: tuple[str, ...]) -> None:
    """With DEBUG off, a known secret or a well-known password would be a backdoor: refuse to start."""
    if secret_key == DEVELOPMENT_SECRET_KEY or len(secret_key) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY is the development default or too short; set it (DEBUG is off)."
        )
    if any(password in DEVELOPMENT_PASSWORDS for password in passwords):
        raise ImproperlyConfigured(
            "PIENG_ADMIN_PASSWORD / PIENG_DEMO_PASSWORD use a development default; set them (DEBUG is off)."
        )
