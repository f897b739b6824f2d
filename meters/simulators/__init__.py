"""Simulated SDM630 and PZEM-004T meters on a simulated Brazilian site, behind simulated gateways.

In-process use (tests, `make run`)::

    server = simulation_start(driver="sdm630", framer="rtu", slave_ids=[1, 2])
    ... server.port, server.bus.overlaps ...
    server.stop()
"""

from meters.simulators.bus import FAULTS, Bus
from meters.simulators.devices import Pzem004tSimulator, Sdm630Simulator
from meters.simulators.servers import PtySimulator, TcpSimulator
from meters.simulators.site import SiteModel, clock_scaled

SLAVE_CLASSES = {"sdm630": Sdm630Simulator, "pzem004t": Pzem004tSimulator}


def bus_build(*, driver: str, slave_ids: list[int], site: SiteModel, latency: float = 0.0) -> Bus:
    """A bus of `driver` meters, one per slave id, all measuring `site`."""
    slave_class = SLAVE_CLASSES[driver]
    return Bus(slaves=[slave_class(site=site, slave_id=slave_id) for slave_id in slave_ids], latency=latency)


def simulation_start(
    *,
    driver: str,
    framer: str,
    slave_ids: list[int],
    host: str = "127.0.0.1",
    port: int = 0,
    latency: float = 0.0,
    site: SiteModel | None = None,
) -> TcpSimulator:
    """A started TCP simulator; `port=0` picks a free port, read it back from `.port`."""
    bus = bus_build(driver=driver, slave_ids=slave_ids, site=site or SiteModel(), latency=latency)
    return TcpSimulator(bus=bus, framer=framer, host=host, port=port).start()


__all__ = [
    "FAULTS",
    "Bus",
    "PtySimulator",
    "Pzem004tSimulator",
    "Sdm630Simulator",
    "SiteModel",
    "TcpSimulator",
    "bus_build",
    "clock_scaled",
    "simulation_start",
]
