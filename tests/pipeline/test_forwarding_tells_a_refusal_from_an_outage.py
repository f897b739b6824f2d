import pytest

from meters.polling.forwarding import ForwardRejected, ForwardUnavailable, readings_forward
from tests.helpers.pipeline import SlaveServer

BATCH = [{"device_id": 7, "ts": "2025-06-01T12:00:00+00:00", "metrics": {"power": 1.5}}]


@pytest.fixture
def forwarding_to(settings):
    def to(url: str) -> None:
        settings.ENABLE_FORWARDING, settings.FORWARDER_URL, settings.FORWARDER_TOKEN = True, url, ""

    return to


@pytest.fixture
def local_slave():
    server = SlaveServer().start()
    yield server
    server.stop()


def test_a_slave_that_answers_503_may_take_the_batch_later(forwarding_to, local_slave):
    forwarding_to(local_slave.url)
    local_slave.refuse(client="acme", device_id=7, statuses=[503])

    with pytest.raises(ForwardUnavailable):
        readings_forward(client="acme", readings=BATCH)


def test_a_slave_that_refuses_the_batch_as_invalid_is_not_asked_again(forwarding_to, local_slave):
    forwarding_to(local_slave.url)
    local_slave.refuse(client="acme", device_id=7, statuses=[400])

    with pytest.raises(ForwardRejected):
        readings_forward(client="acme", readings=BATCH)


def test_an_unreachable_slave_may_take_the_batch_later(forwarding_to, local_slave):
    url = local_slave.url
    local_slave.stop()
    forwarding_to(url)

    with pytest.raises(ForwardUnavailable, match="unreachable"):
        readings_forward(client="acme", readings=BATCH)


def test_a_slave_that_takes_the_batch_gets_it_without_a_token_when_none_is_set(forwarding_to, local_slave):
    forwarding_to(local_slave.url)

    readings_forward(client="acme", readings=BATCH)

    [received] = local_slave.received_for(client="acme", device_id=7)
    assert (received.body, received.authorization) == (BATCH, None)
