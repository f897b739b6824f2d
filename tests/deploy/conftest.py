"""A production installation on this machine, as docker/entrypoint.sh starts it in the container: an empty
database of its own, `entrypoint.sh migrate` (migrations, then bootstrap), and two `entrypoint.sh web`
(gunicorn) on two ports, with DEBUG off behind a TLS proxy (X-Forwarded-Proto), on a domain of its own.
"""

import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection
from pipeline.pipeline_testing import wait_until

BASE_DIR = Path(__file__).resolve().parents[2]
ENTRYPOINT = BASE_DIR / "docker" / "entrypoint.sh"
PLATFORM_DOMAIN = "energia.example.test"
ADMIN_USERNAME = "operator"
ADMIN_PASSWORD = "Q7v!long-and-unlikely"
METRICS_TOKEN = "metrics-token-of-the-deploy-tests"
TOKEN_RATE = 4
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Web:
    url: str
    log: Path

    def request(
        self,
        method: str,
        path: str,
        *,
        https: bool = True,
        client_ip: str = "203.0.113.1",
        headers: dict | None = None,
        timeout: float = 30,
        **kwargs,
    ) -> requests.Response:
        """As the TLS proxy in front passes a request on: the platform's Host, the scheme, the caller."""
        sent = {
            "Host": PLATFORM_DOMAIN,
            "X-Forwarded-For": client_ip,
            "Referer": f"https://{PLATFORM_DOMAIN}/",
        }
        if https:
            sent["X-Forwarded-Proto"] = "https"
        return requests.request(
            method,
            self.url + path,
            headers=sent | (headers or {}),
            timeout=timeout,
            allow_redirects=False,
            **kwargs,
        )

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]


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


def entrypoint_run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ENTRYPOINT), *args], cwd="/", env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="package")
def migrated(production_env) -> subprocess.CompletedProcess:
    """`entrypoint.sh migrate` once, on the empty database (run from / : the script finds its home)."""
    return entrypoint_run("migrate", env=production_env)


def database_rows(database_url: str, query: str) -> list[tuple]:
    with psycopg.connect(database_url) as database:
        return database.execute(query).fetchall()


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
            os.killpg(process.pid, signal.SIGTERM)
        for process, _ in started:
            process.wait(timeout=30)


def csrf_form(web: Web, path: str) -> tuple[str, str]:
    """The CSRF cookie and the form's token of a sign-in page."""
    page = web.get(path)
    assert page.status_code == 200, page.status_code
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return page.cookies["csrftoken"], token


def admin_sign_in(web: Web, *, username: str, password: str) -> requests.Response:
    cookie, token = csrf_form(web, "/admin/login/")
    return web.post(
        "/admin/login/?next=/admin/",
        headers={"Cookie": f"csrftoken={cookie}"},
        data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"},
    )
