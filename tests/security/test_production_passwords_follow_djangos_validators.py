"""With DEBUG off, passwords follow Django's standard validators: at least 10 characters, not a common
password, not all digits, not like the user's name."""

import os
import subprocess
import sys

CHECK = """
import django
django.setup()
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
for password in ("password123", "Xq7#short", "5902718346", "zebra-lantern-quartz-91"):
    try:
        validate_password(password)
        print(password, "ok")
    except ValidationError as error:
        print(password, "refused", [e.code for e in error.error_list])
"""


def test_short_common_and_numeric_passwords_are_refused_in_production():
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "pieng.settings",
        "PIENG_DOTENV": "false",
        "DEBUG": "false",
        "SECRET_KEY": "a-production-secret-key-of-enough-length-0123456789",
    }

    lines = subprocess.run(
        [sys.executable, "-c", CHECK], env=environment, capture_output=True, text=True, check=True
    ).stdout.splitlines()

    assert lines == [
        "password123 refused ['password_too_common']",
        "Xq7#short refused ['password_too_short']",
        "5902718346 refused ['password_entirely_numeric']",
        "zebra-lantern-quartz-91 ok",
    ]
