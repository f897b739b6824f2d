"""`python manage.py rollups_rebuild [--client SLUG] [--since DATE]`: recompute rollups from the readings.

Every bucket from DATE on (midnight UTC; every bucket without it) is re-opened and closed again, for every
device of the client (of every client without --client). Safe beside polling and ingest, and resumable:
run it again after an interruption and it carries on.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tenants.utils import tenant_context

from analytics.rollups import rollups_close, rollups_reopen
from meters.models import Device
from tenants.models import Client


class Command(BaseCommand):
    help = "Recompute the rollups of every device (of one client with --client) from the readings."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--client", help="client slug; every client without it")
        parser.add_argument("--since", help="YYYY-MM-DD (UTC); every bucket without it")

    def handle(self, *args, client: str | None, since: str | None, **options) -> None:
        start = _date_parse(since) if since else None
        clients = Client.objects.clients().order_by("slug")
        if client is not None:
            clients = clients.filter(slug=client)
            if not clients:
                raise CommandError(f"no client with slug {client!r}")
        until = timezone.now() - settings.ROLLUPS_CLOSE_AFTER
        for tenant in clients:
            with tenant_context(tenant):
                device_ids = list(Device.objects.values_list("pk", flat=True))
                rollups_reopen(device_ids=device_ids, since=start)
                buckets = sum(rollups_close(device_id=pk, until=until) for pk in device_ids)
            self.stdout.write(f"{tenant.slug}: {len(device_ids)} devices, {buckets} buckets closed")


def _date_parse(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as error:
        raise CommandError(f"--since must be a date as YYYY-MM-DD, got {text!r}") from error
