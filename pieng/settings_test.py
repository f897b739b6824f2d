"""Test settings: only what the suite needs different."""

from pieng.settings import *  # noqa: F403
from pieng.settings import DATABASES

# Threads serving a test's web server must not keep connections that outlive the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test starts with fresh throttle counts.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The meter simulators listen on 127.0.0.1 (tests of the refusal switch it off).
DEVICE_ALLOW_LOOPBACK = True
