from tests.helpers.pipeline import readings_count, rtu_config
from tests.helpers.waiting import wait_until


def test_a_slave_that_is_down_gets_the_batch_later_and_holds_up_nothing(
    client_a, device_make, ew11_start, poll_send, slave
):
    ew11 = ew11_start(slave_ids=[1])
    device = device_make(client=client_a, name="meter", config=rtu_config(port=ew11.port, slave_id=1))
    slave.refuse(client="pipe-a", device_id=device.pk, statuses=[503, 503])

    poll_send(client=client_a, device=device)
    wait_until(lambda: slave.received_for(client="pipe-a", device_id=device.pk), what="the first attempt")
    assert readings_count(client=client_a, device_id=device.pk) == 1

    def answers() -> list[int]:
        return [r.answered for r in slave.received_for(client="pipe-a", device_id=device.pk)]

    wait_until(lambda: answers() == [503, 503, 201], what="the retries")
    first, *_, delivered = slave.received_for(client="pipe-a", device_id=device.pk)
    assert delivered.body == first.body
