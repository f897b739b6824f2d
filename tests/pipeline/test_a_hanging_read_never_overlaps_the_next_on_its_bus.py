"""A meter that answers too slowly cannot hold its bus past the read's deadline, nor let its neighbour's
read start while its own is still on the wire, even once its locks would have expired."""

import threading
import time

from django.db import connection
from django_tenants.utils import tenant_context

from meters.polling.poll import PollStatus, device_poll
from tests.helpers.pipeline import rtu_config

# Four requests of 1.2 s each: 4.8 s for a whole read, past its bus lock's 4 s (twice the deadline);
# the deadline cuts it at 2 s.
LATENCY_S = 1.2


def test_two_reads_of_a_hanging_bus_are_cut_at_the_deadline_and_never_overlap(
    client_a, device_make, ew11_start, settings
):
    ew11 = ew11_start(slave_ids=[1, 2], latency=LATENCY_S)
    meters = [
        device_make(
            client=client_a, name=f"slow {n}", config=rtu_config(port=ew11.port, slave_id=n, timeout=1.5)
        )
        for n in (1, 2)
    ]
    settings.POLL_READ_MAX_SECONDS = 2.0
    outcomes, spans = {}, {}

    def read(device) -> None:
        with tenant_context(client_a):
            started = time.monotonic()
            outcomes[device.pk] = device_poll(device=device, force=True)
            spans[device.pk] = time.monotonic() - started - outcomes[device.pk].timings.get("locks", 0.0)
        connection.close()

    threads = [threading.Thread(target=read, args=(meter,)) for meter in meters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ew11.bus.overlaps == 0
    assert [outcomes[m.pk].status for m in meters] == [PollStatus.TIMED_OUT, PollStatus.TIMED_OUT]
    assert all("deadline" in outcomes[m.pk].error for m in meters)
    # Each read ended by its deadline (plus the database work of recording the failure).
    assert all(span < 2.8 for span in spans.values()), spans
