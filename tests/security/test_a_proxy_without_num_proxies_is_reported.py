"""Behind a proxy with NUM_PROXIES unset every caller has the proxy's address: the log says so, once."""

import logging

from django.test import Client as Browser

from tests.helpers.api import ACME


def test_the_first_proxied_request_logs_a_warning_once(db, caplog):
    browser = Browser()
    with caplog.at_level(logging.WARNING, logger="pieng.proxies"):
        browser.get("/login/", HTTP_HOST=ACME, HTTP_X_FORWARDED_FOR="203.0.113.7")
        browser.get("/login/", HTTP_HOST=ACME, HTTP_X_FORWARDED_FOR="203.0.113.8")

    warnings = [record.getMessage() for record in caplog.records if record.name == "pieng.proxies"]
    assert len(warnings) == 1 and "NUM_PROXIES is unset" in warnings[0]
