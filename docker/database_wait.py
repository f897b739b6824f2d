"""Wait until PostgreSQL at DATABASE_URL accepts connections (containers start before the database is
ready). Without Django: a second, not the three of a Django start, per container start."""

import os
import sys
import time

import psycopg

RETRY_S = 1.0


def main() -> int:
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("DATABASE_URL is not set: nothing to wait for", file=sys.stderr)
        return 0
    timeout = float(os.environ.get("DATABASE_WAIT_TIMEOUT", "60"))
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
