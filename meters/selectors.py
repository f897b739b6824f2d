from dataclasses import dataclass
from datetime import datetime

from django_tenants.utils import tenant_context

from meters.catalog import CATALOG, METRIC_GROUPS, metric_display, metric_label
from meters.models import Device
from meters.readings.series import readings_latest
from tenants.models import Client

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


def device_health() -> list[tuple[str, list[Device]]]:
    """The client's devices grouped by the gateway or serial port they share (`bus_key`), direct devices
    (Tuya, or one meter per address) under "" last; each device's state as device_state gives it."""
    groups: dict[str, list[Device]] = {}
    for device in Device.objects.order_by("name", "id"):
        groups.setdefault(device.bus_key or "", []).append(device)
    return sorted(groups.items(), key=lambda group: (group[0] == "", group[0]))


def device_state(device: Device) -> str:
    """inactive, online, failing (polls fail now) or offline (silent without a recorded failure)."""
    if not device.active:
        return "inactive"
    if device.consecutive_failures:
        return "failing"
    return "online" if device.online else "offline"


def platform_device_health() -> list[dict]:
    """Every client's devices by gateway, with their state, for the platform's morning check: clients with
    failing devices first, then those with offline ones."""
    report = []
    for client in Client.objects.clients():
        with tenant_context(client):
            gateways = [
                (gateway, [(device, device_state(device)) for device in devices])
                for gateway, devices in device_health()
            ]
        states = [state for _gateway, devices in gateways for _device, state in devices]
        counts = {state: states.count(state) for state in ("online", "offline", "failing", "inactive")}
        report.append({"client": client, "gateways": gateways, "counts": counts})
    return sorted(
        report,
        key=lambda entry: (-entry["counts"]["failing"], -entry["counts"]["offline"], entry["client"].name),
    )
