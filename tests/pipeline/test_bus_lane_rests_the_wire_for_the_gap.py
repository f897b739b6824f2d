import threading
import time
import uuid

from meters.polling.lanes import bus_lane


def test_the_next_device_on_a_bus_starts_only_after_the_gap():
    bus_key = f"tcp:127.0.0.1:{uuid.uuid4().hex}"
    first_released = threading.Event()
    times = {}

    def neighbour() -> None:
        first_released.wait()
        with bus_lane(bus_key=bus_key, gap=0.0, wait=5) as on_bus:
            times["second_in"] = time.monotonic()
            times["second_held"] = on_bus

    thread = threading.Thread(target=neighbour)
    thread.start()
    with bus_lane(bus_key=bus_key, gap=0.3, wait=5):
        pass
    times["first_out"] = time.monotonic()
    first_released.set()
    thread.join()

    assert times["second_held"]
    assert times["second_in"] - times["first_out"] >= 0.25


def test_a_poll_gives_up_when_its_bus_stays_busy():
    bus_key = f"tcp:127.0.0.1:{uuid.uuid4().hex}"
    with bus_lane(bus_key=bus_key, gap=0.0, wait=1):
        started = time.monotonic()
        with bus_lane(bus_key=bus_key, gap=0.0, wait=0.2) as on_bus:
            waited = time.monotonic() - started

    assert not on_bus
    assert 0.15 <= waited < 1  # redis-py stops one retry step before the deadline


def test_a_device_alone_on_its_link_needs_no_lane():
    with bus_lane(bus_key=None, gap=1.0, wait=0) as on_bus:
        assert on_bus
