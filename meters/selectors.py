from dataclasses import dataclass
from datetime import datetime

from meters.catalog import CATALOG, METRIC_GROUPS, metric_display, metric_label
from meters.models import Device
from meters.readings.series import readings_latest

HEADLINE_METRICS = ("power", "voltage_l1", "current_l1", "energy_import", "energy_export", "frequency")


@dataclass(frozen=True)
class DeviceStatus:
    device: Device
    latest_at: datetime | None
    latest: dict[str, float]

    @property
    def headline(self) -> list["MetricShown"]:
        """The few values a device list shows, labelled and with units."""
        return [
            MetricShown(name=name, label=metric_label(name)[0], text=metric_display(name, self.latest[name]))
            for name in HEADLINE_METRICS
            if name in self.latest
        ]


def device_list_with_latest() -> list[DeviceStatus]:
    devices = list(Device.objects.all())
    latest = readings_latest(device_ids=[device.pk for device in devices])
    no_reading = (None, {})
    return [DeviceStatus(device, *latest.get(device.pk, no_reading)) for device in devices]


@dataclass(frozen=True)
class MetricShown:
    name: str
    label: str
    text: str


def metrics_grouped(*, values: dict[str, float]) -> list[tuple[str, list[MetricShown]]]:
    """Values of a reading with their labels and units, grouped as a page shows them (voltages, currents,
    power, energy, quality, ...), catalog order within a group."""
    order = {name: position for position, name in enumerate(CATALOG)}
    groups: dict[str, list[MetricShown]] = {group: [] for group in METRIC_GROUPS}
    for name in sorted(values, key=lambda metric: (order.get(metric, len(order)), metric)):
        label, group = metric_label(name)
        groups[group].append(MetricShown(name=name, label=label, text=metric_display(name, values[name])))
    return [(str(METRIC_GROUPS[group]), shown) for group, shown in groups.items() if shown]


def device_latest(*, device: Device) -> tuple[datetime | None, dict[str, float]]:
    return readings_latest(device_ids=[device.pk]).get(device.pk, (None, {}))
