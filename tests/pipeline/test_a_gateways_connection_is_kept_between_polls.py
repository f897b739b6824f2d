from django_tenants.utils import tenant_context

from meters.polling.poll import PollStatus, device_poll
from tests.helpers.pipeline import rtu_config


def test_the_meters_behind_one_gateway_are_read_over_one_connection_which_survives_a_gateway_restart(
    client_a, device_make, ew11_start
):
    ew11 = ew11_start(slave_ids=[1, 2, 3])
    meters = [
        device_make(client=client_a, name=f"meter {n}", config=rtu_config(port=ew11.port, slave_id=n))
        for n in (1, 2, 3)
    ]

    with tenant_context(client_a):
        rounds = [device_poll(device=meter, force=True).status for _ in range(2) for meter in meters]
    ew11.stop()  # the gateway reboots: the kept connection is dead
    restarted = ew11_start(slave_ids=[1, 2, 3], port=ew11.port)
    with tenant_context(client_a):
        after_restart = device_poll(device=meters[0], force=True).status

    assert rounds == [PollStatus.STORED] * 6
    assert ew11.accepted == 1
    assert after_restart == PollStatus.STORED
    assert restarted.accepted == 1
