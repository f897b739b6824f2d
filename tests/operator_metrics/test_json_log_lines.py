import json
import logging
import subprocess
import sys
from pathlib import Path

from pieng.logs import json_formatter

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_json_log_line_holds_the_event_its_fields_and_its_exception_on_one_line():
    logger = logging.getLogger("meters.polling.poll")
    try:
        raise TimeoutError("no answer\nfrom slave 3")
    except TimeoutError:
        record = logger.makeRecord(
            logger.name,
            logging.WARNING,
            __file__,
            1,
            "poll of %s failed",
            ("SDM630",),
            sys.exc_info(),
            extra={"device": 7, "client": "client_acme"},
        )

    line = json_formatter().format(record)

    event = json.loads(line)
    assert "\n" not in line
    assert event["message"] == "poll of SDM630 failed"
    assert (event["level"], event["logger"], event["device"], event["client"]) == (
        "WARNING",
        "meters.polling.poll",
        7,
        "client_acme",
    )
    assert "TimeoutError: no answer" in event["exc_info"]


def test_log_format_json_makes_the_platforms_logs_json(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, logging; django.setup(); logging.getLogger('pieng').warning('hi')",
        ],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "PIENG_DOTENV": "0",
            "DEBUG": "true",
            "LOG_FORMAT": "json",
            "DJANGO_SETTINGS_MODULE": "pieng.settings",
        },
        capture_output=True,
        text=True,
    )

    assert json.loads(result.stderr.strip().splitlines()[-1])["message"] == "hi"
