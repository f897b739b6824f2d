from collections.abc import Iterator

import pytest

from tests.helpers.fake_receivers import FakeReceiver


@pytest.fixture
def receiver() -> Iterator[FakeReceiver]:
    """A webhook receiver, Telegram Bot API and SMS gateway in one, on loopback."""
    server = FakeReceiver().start()
    yield server
    server.stop()
