"""Shared constants and builders of the Tuya tests (fixtures live in conftest.py)."""

import datetime

from meters.config import device_config_clean
from meters.simulators.site import SiteModel

DEVICE_ID = "bf8a1c2d3e4f5a6b7c8d"
LOCAL_KEY = "f3;kQ9#rT2!vX7@m"  # local keys are 16 printable characters, punctuation included
WRONG_KEY = "0123456789abcdef"
ACCESS_ID = "p9xw4k7qh3mcv8ry2tds"
ACCESS_SECRET = "3f9c0e8a7b6d4c2e1f0a9b8c7d6e5f4a"
BRASILIA = datetime.timezone(datetime.timedelta(hours=-3))
EVENING = datetime.datetime(2025, 11, 17, 20, 0, tzinfo=BRASILIA).timestamp()  # the site imports
NOON = datetime.datetime(2025, 11, 17, 12, 0, tzinfo=BRASILIA).timestamp()  # the PV makes it export


def site_frozen(*, at: float) -> SiteModel:
    return SiteModel(clock=lambda: at, seed=7)


def local_config(
    *,
    port: int,
    version: str = "3.3",
    preset: str = "plug_v33",
    local_key: str = LOCAL_KEY,
    timeout: float = 1.0,
) -> dict:
    return device_config_clean(
        device_type="tuya",
        config={
            "mode": "local",
            "device_id": DEVICE_ID,
            "address": "127.0.0.1",
            "port": port,
            "local_key": local_key,
            "version": version,
            "preset": preset,
            "timeout": timeout,
        },
    )


def cloud_config(
    *,
    device_id: str = DEVICE_ID,
    preset: str = "plug_v33",
    region: str = "us",
    secret: str = ACCESS_SECRET,
    timeout: float = 2.0,
) -> dict:
    return device_config_clean(
        device_type="tuya",
        config={
            "mode": "cloud",
            "device_id": device_id,
            "preset": preset,
            "api_region": region,
            "api_key": ACCESS_ID,
            "api_secret": secret,
            "timeout": timeout,
        },
    )
