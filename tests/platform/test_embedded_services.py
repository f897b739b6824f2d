"""`make run` and `make test` on a fresh machine use the embedded PostgreSQL and Redis from their wheels."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup();"
    "from pieng.health import database_status, broker_status;"
    "print(database_status(), broker_status())"
)


def test_the_embedded_postgres_and_redis_start_migrate_and_answer_then_stop(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"PIENG_VAR_DIR": str(tmp_path / "var"), "DEBUG": "true"}
    script = f"{sys.executable} manage.py migrate_schemas --shared && {sys.executable} -c '{PROBE}'"

    result = subprocess.run(
        [sys.executable, "-m", "pieng.launch", "exec", "--", "sh", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok ok")
    assert not (tmp_path / "var" / "pg" / "postmaster.pid").exists(), "PostgreSQL left running"
    assert not (tmp_path / "var" / "redis" / "redis.sock").exists(), "Redis left running"
