"""Device ids are per schema: the same id in two clients makes a poll that runs in the wrong schema show."""

from tests.helpers.pipeline import readings_count, rtu_config
from tests.helpers.waiting import wait_until


def test_a_poll_stores_its_reading_in_its_clients_schema_and_no_other(
    client_a, client_b, device_make, ew11_start, poll_send
):
    meters = ew11_start(slave_ids=[1])
    in_a = device_make(client=client_a, name="A meter", config=rtu_config(port=meters.port, slave_id=1))
    # Only this test adds devices to B, so giving this one an id of our choosing collides with nothing.
    in_b = device_make(
        client=client_b, name="B meter", config=rtu_config(port=meters.port, slave_id=1), pk=in_a.pk
    )

    poll_send(client=client_a, device=in_a)
    wait_until(lambda: readings_count(client=client_a, device_id=in_a.pk) == 1, what="A's reading")

    assert readings_count(client=client_b, device_id=in_b.pk) == 0
