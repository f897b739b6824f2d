"""Helpers the tests import (fixtures live in conftest.py files): personas' API clients, devices and
readings, the browser, waiting on a condition, the slave platform."""
