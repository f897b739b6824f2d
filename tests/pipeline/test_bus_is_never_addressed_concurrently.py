from tests.helpers.pipeline import readings_count, rtu_config
from tests.helpers.waiting import wait_until

ROUNDS = 3


def test_three_meters_on_one_rtu_bus_are_read_one_at_a_time_by_three_worker_processes(
    client_a, device_make, ew11_start, poll_send
):
    # Each transaction holds the wire a while, so that reads that did not take turns would overlap.
    ew11 = ew11_start(slave_ids=[1, 2, 3], latency=0.01)
    meters = [
        device_make(client=client_a, name=f"meter {n}", config=rtu_config(port=ew11.port, slave_id=n))
        for n in (1, 2, 3)
    ]

    for round_ in range(1, ROUNDS + 1):
        for meter in meters:
            poll_send(client=client_a, device=meter)
        wait_until(
            lambda round_=round_: all(
                readings_count(client=client_a, device_id=meter.pk) == round_ for meter in meters
            ),
            what=f"round {round_} of readings",
        )

    assert ew11.bus.transactions >= ROUNDS * len(meters)
    assert ew11.bus.overlaps == 0
