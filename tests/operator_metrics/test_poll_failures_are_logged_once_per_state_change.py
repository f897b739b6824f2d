import logging
from contextlib import contextmanager

from django.db import connection

from meters.config import device_config_clean
from meters.models import Device
from meters.polling.poll import device_poll
from meters.simulators import Bus, Sdm630Simulator, SiteModel, TcpSimulator

POLL_LOGGER = "meters.polling.poll"


@contextmanager
def simulated_sdm630(port: int):
    bus = Bus(slaves=[Sdm630Simulator(site=SiteModel(seed=2), slave_id=1)])
    simulator = TcpSimulator(bus=bus, framer="rtu", port=port).start()
    try:
        yield simulator
    finally:
        simulator.stop()


def test_a_dead_meter_is_logged_when_it_fails_and_when_it_answers_again_not_on_every_poll(
    in_acme, closed_port, caplog
):
    config = {"driver": "sdm630", "host": "127.0.0.1", "port": closed_port, "framer": "rtu", "slave_id": 1}
    device = Device.objects.create(
        name="Dead SDM630",
        device_type="modbus_tcp",
        config=device_config_clean(device_type="modbus_tcp", config=config | {"timeout": 0.3, "retries": 0}),
    )
    caplog.set_level(logging.INFO, logger=POLL_LOGGER)

    # As "read now" does: the device as stored at each request.
    outcomes = [device_poll(device=Device.objects.get(pk=device.pk), force=True).status for _ in range(3)]
    with simulated_sdm630(closed_port):
        outcomes.append(device_poll(device=Device.objects.get(pk=device.pk), force=True).status)

    lines = [record for record in caplog.records if record.name == POLL_LOGGER]
    assert outcomes == ["failed", "failed", "failed", "stored"]
    assert [record.levelname for record in lines] == ["WARNING", "INFO"]
    failed = lines[0]
    assert (failed.device, failed.client, failed.bus) == (device.pk, connection.schema_name, device.bus_key)
    assert "refused" in failed.cause.lower()
    assert "succeeds again after 3 failures" in lines[1].getMessage()
