"""A production installation started as docker/entrypoint.sh starts it in the container (the fixtures are
in tests/deploy/conftest.py): its settings, and how a TLS proxy in front talks to it."""

import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests

BASE_DIR = Path(__file__).resolve().parents[2]
ENTRYPOINT = BASE_DIR / "docker" / "entrypoint.sh"
PLATFORM_DOMAIN = "energia.example.test"
ADMIN_USERNAME = "operator"
ADMIN_PASSWORD = "Q7v!long-and-unlikely"
METRICS_TOKEN = "metrics-token-of-the-deploy-tests"
TOKEN_RATE = 4


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


def entrypoint_run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ENTRYPOINT), *args], cwd="/", env=env, capture_output=True, text=True, timeout=300
    )


def database_rows(database_url: str, query: str) -> list[tuple]:
    with psycopg.connect(database_url) as database:
        return database.execute(query).fetchall()


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
