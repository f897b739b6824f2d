import threading
import time
import uuid

from meters.polling.lanes import poll_locks_take


def _take(*, bus_key: str | None, gap: float = 0.0, wait: float = 5.0):
    schema = f"client_{uuid.uuid4().hex}"
    return poll_locks_take(schema=schema, device_id=1, bus_key=bus_key, gap=gap, device_wait=0, bus_wait=wait)


def test_the_next_device_on_a_bus_starts_only_after_the_gap():
    bus_key = f"tcp:127.0.0.1:{uuid.uuid4().hex}"
    first_released = threading.Event()
    times = {}

    def neighbour() -> None:
        first_released.wait()
        second = _take(bus_key=bus_key)
        times["second_in"] = time.monotonic()
        times["second_held"] = second.bus
        second.release()

    thread = threading.Thread(target=neighbour)
    thread.start()
    first = _take(bus_key=bus_key, gap=0.3)
    first.release()
    times["first_out"] = time.monotonic()
    first_released.set()
    thread.join()

    assert times["second_held"]
    assert times["second_in"] - times["first_out"] >= 0.25


def test_a_poll_gives_up_when_its_bus_stays_busy():
    bus_key = f"tcp:127.0.0.1:{uuid.uuid4().hex}"
    first = _take(bus_key=bus_key, wait=1)
    started = time.monotonic()
    second = _take(bus_key=bus_key, wait=0.2)
    waited = time.monotonic() - started
    held = (first.bus, second.device, second.bus)
    first.release()
    second.release()

    assert held == (True, True, False)
    assert 0.15 <= waited < 1


def test_a_device_alone_on_its_link_needs_no_lane():
    alone = _take(bus_key=None, gap=1.0, wait=0)
    assert alone.bus
    alone.release()
