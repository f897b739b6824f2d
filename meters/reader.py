"""One reading of any device, from its validated config: the entry point of the poller and of `meter read`."""

from meters.drivers import driver_for
from meters.transports import modbus_link_open


def device_read(*, device_type: str, config: dict) -> dict[str, float]:
    """Catalog metric name -> value; raises a `meters.errors.MeterError` whose text names the cause."""
    if device_type == "tuya":
        # Imported here so that Modbus-only callers do not load tinytuya.
        from meters.drivers.tuya import tuya_read

        return tuya_read(config=config)
    read = driver_for(config["driver"])
    with modbus_link_open(device_type=device_type, config=config) as link:
        return read(link=link, slave_id=config["slave_id"])
