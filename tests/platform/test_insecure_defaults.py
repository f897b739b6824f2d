import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start_settings(**env) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=base | {"PIENG_DOTENV": "0", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_debug_off_the_platform_refuses_the_development_secret_key():
    result = _start_settings(DEBUG="false", SECRET_KEY="dev-only-insecure-secret-key-change-me")

    assert result.returncode != 0
    assert "SECRET_KEY is the development default" in result.stderr


def test_with_debug_off_the_platform_refuses_a_default_password():
    result = _start_settings(DEBUG="false", SECRET_KEY="x" * 50, PIENG_ADMIN_PASSWORD="admin")

    assert result.returncode != 0
    assert "PIENG_ADMIN_PASSWORD" in result.stderr


def test_with_debug_off_and_real_secrets_the_platform_starts():
    result = _start_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        PIENG_ADMIN_PASSWORD="s3cret-admin",
        PIENG_DEMO_PASSWORD="s3cret-demo",
    )

    assert result.returncode == 0, result.stderr
