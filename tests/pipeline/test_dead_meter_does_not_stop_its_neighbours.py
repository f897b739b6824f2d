from tests.helpers.pipeline import device_fetch, readings_count, rtu_config
from tests.helpers.waiting import wait_until

ROUNDS = 3


def test_a_silent_meter_is_backed_off_and_its_neighbours_keep_their_readings(
    client_a, device_make, ew11_start, poll_send
):
    ew11 = ew11_start(slave_ids=[1, 2, 3])
    ew11.bus.fault_set(slave_id=2, fault="silent")
    alive = [
        device_make(client=client_a, name=f"meter {n}", config=rtu_config(port=ew11.port, slave_id=n))
        for n in (1, 3)
    ]
    dead = device_make(client=client_a, name="dead meter", config=rtu_config(port=ew11.port, slave_id=2))

    first_attempt = None
    for round_ in range(1, ROUNDS + 1):
        for device in [*alive, dead]:
            poll_send(client=client_a, device=device)
        wait_until(
            lambda round_=round_: all(
                readings_count(client=client_a, device_id=device.pk) == round_ for device in alive
            ),
            what=f"round {round_} of the neighbours' readings",
        )
        wait_until(lambda: device_fetch(client=client_a, device_id=dead.pk).last_attempt_at is not None)
        first_attempt = first_attempt or device_fetch(client=client_a, device_id=dead.pk).last_attempt_at

    dead = device_fetch(client=client_a, device_id=dead.pk)
    assert readings_count(client=client_a, device_id=dead.pk) == 0
    assert (dead.consecutive_failures, dead.online) == (1, False)
    assert "no answer from slave 2" in dead.last_error
    # Backed off for 30 s after its failure: the later rounds did not address it again.
    assert dead.last_attempt_at == first_attempt
    assert all(device_fetch(client=client_a, device_id=d.pk).online for d in alive)
