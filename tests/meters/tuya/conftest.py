"""Tuya fixtures: simulated devices on loopback, a closed and a silent port, the fake Tuya cloud.

The simulated site's clock is frozen at a chosen hour, so a device serves one stable measurement until a
command makes it measure again, and `simulator.reading` is what a correct driver must report.
"""

import ssl
import threading
from collections.abc import Iterator

import pytest
from tuya_fake_cloud import FakeTuyaCloud, tls_files_write
from tuya_testing import ACCESS_ID, ACCESS_SECRET, DEVICE_ID, EVENING, LOCAL_KEY, site_frozen

from meters.drivers.tuya import CLOUD_TOKENS
from meters.simulators.site import SiteModel
from meters.simulators.tuya import TuyaSimulator


@pytest.fixture
def simulator_start() -> Iterator:
    """Start a simulated device: `simulator_start(version=..., preset=..., site=...)`; stopped afterwards."""
    running: list[TuyaSimulator] = []

    def start(
        *, version: str = "3.3", preset: str = "plug_v33", site: SiteModel | None = None
    ) -> TuyaSimulator:
        simulator = TuyaSimulator(
            device_id=DEVICE_ID,
            local_key=LOCAL_KEY,
            version=version,
            preset=preset,
            site=site or site_frozen(at=EVENING),
        )
        simulator.start()
        running.append(simulator)
        return simulator

    yield start
    for simulator in running:
        simulator.stop()


@pytest.fixture(scope="session")
def cloud_tls(tmp_path_factory) -> tuple[str, ssl.SSLContext]:
    ca, certificate, key = tls_files_write(directory=tmp_path_factory.mktemp("tuya-tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    return str(ca), context


@pytest.fixture
def fake_cloud(cloud_tls, monkeypatch) -> Iterator[FakeTuyaCloud]:
    """The Tuya cloud, reached through the environment's HTTPS proxy; it knows no device until told, and
    this process holds no token of it yet."""
    CLOUD_TOKENS.clear()
    ca, context = cloud_tls
    cloud = FakeTuyaCloud(tls=context, access_id=ACCESS_ID, access_secret=ACCESS_SECRET, statuses={})
    serving = threading.Thread(target=cloud.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    serving.start()
    for variable in ("https_proxy", "no_proxy", "NO_PROXY", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", cloud.proxy_url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca)
    yield cloud
    cloud.released.set()
    cloud.shutdown()
    cloud.server_close()
    serving.join()
