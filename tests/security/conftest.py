"""The API personas of tests/api, for the security rules' tests."""

from tests.api.conftest import (  # noqa: F401 - fixtures
    acme_api,
    acme_device,
    anonymous_api,
    globex_api,
    staff_api,
    throttle_counts_reset,
)
