from dataclasses import dataclass
from datetime import datetime

from meters.models import Device
from meters.readings.series import readings_latest

HEADLINE_METRICS = ("power", "voltage_l1", "current_l1", "energy_import", "energy_export", "frequency")


@dataclass(frozen=True)
class DeviceStatus:
    device: Device
    latest_at: datetime | None
    latest: dict[str, float]

    @property
    def headline(self) -> list[tuple[str, float]]:
        return [(name, self.latest[name]) for name in HEADLINE_METRICS if name in self.latest]


def device_list_with_latest() -> list[DeviceStatus]:
    devices = list(Device.objects.all())
    latest = readings_latest(device_ids=[device.pk for device in devices])
    no_reading = (None, {})
    return [DeviceStatus(device, *latest.get(device.pk, no_reading)) for device in devices]
