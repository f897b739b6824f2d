"""`make bench`: every benchmark in turn, each printing its workload and figures."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "readings_store.py",
    "cold_encodings.py",
    "modbus_read.py",
    "polling.py",
    "ingest_http.py",
    "alarms.py",
    "portal.py",
    "forwarding.py",
]


def main() -> int:
    os.environ.setdefault("BENCH_DAYS", "365")
    failed = []
    for name in BENCHMARKS:
        print(f"\n##### {name}", flush=True)
        if subprocess.call([sys.executable, str(HERE / name)], cwd=HERE.parent) != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
