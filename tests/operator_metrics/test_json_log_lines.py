import json
import logging
import logging.config
import sys

from django.conf import settings

from pieng.logs import json_formatter


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


def test_the_json_formatter_the_settings_name_writes_json():
    formatter = logging.config.DictConfigurator({}).configure_formatter(
        settings.LOGGING["formatters"]["json"]
    )
    record = logging.getLogger("pieng").makeRecord("pieng", logging.INFO, __file__, 1, "hi", (), None)

    assert json.loads(formatter.format(record))["message"] == "hi"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == settings.LOG_FORMAT
