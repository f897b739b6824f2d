"""Wait until PostgreSQL at DATABASE_URL accepts connections (containers start before the database is
ready). Without setting Django up: a fraction of a second, not the seconds of a Django start.

DATABASE_URL comes from the environment, or from .env as the settings read it (systemd units)."""

import sys
import time
from pathlib import Path

import environ
import psycopg

RETRY_S = 1.0
BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    env = environ.Env()
    if env.bool("PIENG_DOTENV", default=True):
        environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    url = env.str("DATABASE_URL", default="")
    if not url:
        print("DATABASE_URL is not set: nothing to wait for", file=sys.stderr)
        return 0
    timeout = env.float("DATABASE_WAIT_TIMEOUT", default=60.0)
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=5).close()
            return 0
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                print(f"the database did not answer within {timeout:g} s: {error}", file=sys.stderr)
                return 1
            print(f"waiting for the database: {str(error).strip().splitlines()[0]}", file=sys.stderr)
            time.sleep(RETRY_S)


if __name__ == "__main__":
    sys.exit(main())
