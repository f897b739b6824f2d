"""`make run` / `make test` / `make bench`: start the embedded services if needed, then the real work.

python -m pieng.launch run             migrate, bootstrap, seed the demo, run the Procfile under honcho
                                       (PIENG_DEMO=false: no demo client, no simulators)
python -m pieng.launch exec -- CMD...  run one command with the services up (tests, benchmarks)
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    from pieng.embedded import EmbeddedServices

    var_dir = Path(os.environ.get("PIENG_VAR_DIR", BASE_DIR / "var"))
    services = EmbeddedServices(var_dir=var_dir)
    # Ctrl-C reaches every process of the terminal's group; we wait for our children to finish first.
    signal.signal(signal.SIGINT, lambda *_: None)
    try:
        os.environ.update(services.start())
        if argv[:1] == ["run"]:
            return _run()
        if argv[:1] == ["exec"]:
            command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
            return subprocess.call(command)
        print(__doc__, file=sys.stderr)
        return 2
    finally:
        services.stop()


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=BASE_DIR)


def _run() -> int:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("PORT", "8000")
    # The Procfile's commands (gunicorn, celery, python) are the virtualenv's.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    _manage("migrate_schemas", "--shared", "--verbosity", "0")
    _manage("migrate_schemas", "--tenant", "--verbosity", "0")
    _manage("bootstrap")
    _manage("demo_seed", "--banner")
    return subprocess.call(
        [sys.executable, "-m", "honcho", "start", "-f", str(BASE_DIR / "Procfile"), *procfile_processes()],
        cwd=BASE_DIR,
    )


def procfile_processes() -> list[str]:
    """The Procfile's processes `make run` starts: the demo's simulators only with the demo."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
    from django.conf import settings

    processes = ["web", "worker", "beat"]
    return processes + ["simulators"] if settings.PIENG_DEMO else processes


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
