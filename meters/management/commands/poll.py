"""`python manage.py poll <device>` and `poll --all`: poll now, as the workers do, and print the result.

The reading is stored and the device's status updated, exactly as a scheduled poll would; the poll takes
the device's bus lane, so it never talks over a worker's read. A backed-off meter is read anyway.
"""

import logging
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context
from rich.console import Console
from rich.table import Table

from meters.cli.table import reading_table
from meters.models import Device
from meters.polling.poll import PollOutcome, PollStatus, device_poll
from meters.selectors import HEADLINE_METRICS
from tenants.models import Client


class Command(BaseCommand):
    help = "Poll one device (id or name), or every active device with --all, now; store and print it."

    def add_arguments(self, parser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("device", nargs="?", help="device id or exact name")
        target.add_argument(
            "--all", action="store_true", dest="all_devices", help="every active device of the client"
        )
        parser.add_argument("--client", help="client slug; needed when there is more than one client")

    def handle(self, *args, device: str | None, all_devices: bool, client: str | None, **options) -> None:
        # Failures come back as one typed error each; pymodbus's own log lines would only repeat them.
        logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
        self.stdout.ending = ""  # rich writes whole lines itself
        console = Console(file=self.stdout, force_terminal=self.stdout.isatty())
        tenant = _client_find(slug=client)
        with tenant_context(tenant):
            if all_devices:
                self._poll_all(console=console)
            else:
                self._poll_one(console=console, device=_device_find(key=device), zone=tenant.time_zone)

    def _poll_one(self, *, console: Console, device: Device, zone: str) -> None:
        outcome = device_poll(device=device, force=True)
        if outcome.status != PollStatus.STORED:
            raise CommandError(f"{device.name}: {_problem(outcome)}")
        at = outcome.ts.astimezone(ZoneInfo(zone))
        title = f"{device.name} (device {device.pk}) at {at:%Y-%m-%d %H:%M:%S} {zone}"
        table = reading_table(reading=outcome.metrics, title=title, nominal_voltage=device.nominal_voltage)
        console.print(table)

    def _poll_all(self, *, console: Console) -> None:
        devices = list(Device.objects.filter(active=True, mirror=False))
        table = Table(title=f"{len(devices)} active devices")
        for column in ("id", "device", "result", "values"):
            table.add_column(column)
        failed = 0
        for device in devices:
            outcome = device_poll(device=device, force=True)
            if outcome.status == PollStatus.STORED:
                table.add_row(str(device.pk), device.name, "stored", _headline(outcome.metrics))
            else:
                failed += 1
                row = (str(device.pk), device.name, str(outcome.status), _problem(outcome))
                table.add_row(*row, style="red")
        console.print(table)
        if failed:
            raise CommandError(f"{failed} of {len(devices)} devices were not read")


def _client_find(*, slug: str | None) -> Client:
    clients = Client.objects.clients().order_by("slug")
    if slug is not None:
        found = clients.filter(slug=slug).first()
        if found is None:
            known = ", ".join(clients.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"no client {slug!r} (clients: {known})")
        return found
    if len(clients) == 1:
        return clients[0]
    if not clients:
        raise CommandError("there is no client yet")
    raise CommandError(f"name the client with --client ({', '.join(c.slug for c in clients)})")


def _device_find(*, key: str) -> Device:
    if key.isdigit():
        found = Device.objects.filter(pk=int(key)).first()
        if found is None:
            raise CommandError(f"no device {key} in this client")
        return found
    matches = list(Device.objects.filter(name=key))
    if not matches:
        raise CommandError(f"no device named {key!r} in this client")
    if len(matches) > 1:
        ids = ", ".join(str(device.pk) for device in matches)
        raise CommandError(f"several devices are named {key!r}: name one by its id ({ids})")
    return matches[0]


def _problem(outcome: PollOutcome) -> str:
    if outcome.status in (PollStatus.FAILED, PollStatus.TIMED_OUT):
        return outcome.error
    return f"not read: {outcome.status}"


def _headline(metrics: dict[str, float]) -> str:
    shown = [f"{name} {metrics[name]:.2f}" for name in HEADLINE_METRICS if name in metrics]
    return ", ".join(shown) or f"{len(metrics)} values"
