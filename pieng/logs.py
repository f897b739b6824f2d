"""Log lines for machines (LOG_FORMAT=json): one JSON object per event, the exception inside it."""

import logging

from pythonjsonlogger.json import JsonFormatter

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


def json_formatter() -> logging.Formatter:
    return JsonFormatter(FIELDS, rename_fields=RENAMED)


def celery_log_format(logger: logging.Logger, **kwargs) -> None:
    """Celery sets up its own handlers (with the worker's --loglevel); with LOG_FORMAT=json they speak
    JSON too."""
    from django.conf import settings

    if settings.LOG_FORMAT == "json":
        for handler in logger.handlers:
            handler.setFormatter(json_formatter())
