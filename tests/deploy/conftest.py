"""A production installation on this machine, as docker/entrypoint.sh starts it in the container: an empty
database of its own, `entrypoint.sh migrate` (migrations, then bootstrap), and two `entrypoint.sh web`
(gunicorn) on two ports, with DEBUG off behind a TLS proxy (X-Forwarded-Proto), on a domain of its own.
"""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.helpers.deploy import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    ENTRYPOINT,
    METRICS_TOKEN,
    PLATFORM_DOMAIN,
    TOKEN_RATE,
    Web,
    entrypoint_run,
    free_port,
)
from tests.helpers.waiting import wait_until

START_TIMEOUT_S = 60.0


@pytest.fixture(scope="package")
def deploy_database(django_db_setup) -> Iterator[str]:
    """An empty database next to the test database; dropped at the end."""
    name = f"{connection.settings_dict['NAME']}_deploy"
    admin_url = urlunsplit(urlsplit(settings.DATABASE_URL)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(settings.DATABASE_URL)._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="package")
def production_env(deploy_database, tmp_path_factory) -> dict[str, str]:
    """A production .env: DEBUG off, real secrets, TLS settings at their production defaults."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("PIENG_", "DJANGO_"))
    }
    return environment | {
        "DJANGO_SETTINGS_MODULE": "pieng.settings",
        "PIENG_DOTENV": "0",
        "PYTHON": sys.executable,
        "DEBUG": "false",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "DATABASE_URL": deploy_database,
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": f"deploy-tests-{uuid.uuid4().hex[:8]}",
        "CELERY_TASK_DEFAULT_QUEUE": f"deploy-tests-{uuid.uuid4().hex[:8]}",
        "PLATFORM_DOMAIN": PLATFORM_DOMAIN,
        "PIENG_ADMIN_USERNAME": ADMIN_USERNAME,
        "PIENG_ADMIN_EMAIL": "operator@example.test",
        "PIENG_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SECURE_HSTS_PRELOAD": "true",
        "NUM_PROXIES": "1",
        "THROTTLE_TOKEN": f"{TOKEN_RATE}/min",
        "METRICS_TOKEN": METRICS_TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path_factory.mktemp("metrics")),
        "LOG_FORMAT": "json",
    }


@pytest.fixture(scope="package")
def migrated(production_env) -> subprocess.CompletedProcess:
    """`entrypoint.sh migrate` once, on the empty database (run from / : the script finds its home)."""
    return entrypoint_run("migrate", env=production_env)


def _web_start(*, env: dict, log: Path) -> tuple[subprocess.Popen, Web]:
    port = free_port()
    process = subprocess.Popen(
        [str(ENTRYPOINT), "web"],
        env=env | {"HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1", "WEB_THREADS": "4"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, Web(url=f"http://127.0.0.1:{port}", log=log)


def _web_answers(process: subprocess.Popen, web: Web) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"entrypoint.sh web exited:\n{web.log.read_text()}")
    try:
        # The port is bound before the worker has loaded the application: a first request may wait.
        return web.get("/api/health", https=False, timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


@pytest.fixture(scope="package")
def webs(migrated, production_env, tmp_path_factory) -> Iterator[tuple[Web, Web]]:
    """Two `entrypoint.sh web` (gunicorn) on two ports, one database and one Redis."""
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    logs = tmp_path_factory.mktemp("web")
    started = [_web_start(env=production_env, log=logs / f"web{n}.log") for n in (1, 2)]
    try:
        for process, web in started:
            wait_until(partial(_web_answers, process, web), timeout=START_TIMEOUT_S, what="gunicorn")
        yield started[0][1], started[1][1]
    finally:
        for process, _ in started:
            # gunicorn's quick shutdown: nothing is in flight once the tests are done.
            os.killpg(process.pid, signal.SIGINT)
        for process, _ in started:
            process.wait(timeout=30)
