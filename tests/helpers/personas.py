"""The suite's personas (tests/conftest.py creates them): users acme-user, globex-user and staff."""

PASSWORD = "correct horse battery"
