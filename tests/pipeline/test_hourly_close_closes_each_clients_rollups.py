"""Beat's hourly close, run by the worker, closes every client's rollups in its own schema up to
ROLLUPS_CLOSE_AFTER ago, and packs nothing (packing stays daily)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from analytics.tasks import rollups_close_clients
from meters.models import ColdChunk, EnergyRollup
from tests.helpers.pipeline import closed_until, counter_meters_make
from tests.helpers.waiting import wait_until


def test_the_hourly_task_closes_every_clients_buckets_up_to_the_close_delay(
    client_a, client_b, device_make, task_queue, celery_worker
):
    meters = counter_meters_make(clients=[client_a, client_b], device_make=device_make, days=3)

    rollups_close_clients.apply_async(queue=task_queue)

    close_from = timezone.now() - settings.ROLLUPS_CLOSE_AFTER - timedelta(minutes=15)
    for client, device in meters:
        wait_until(
            lambda client=client, device=device: (
                (closed_until(client=client, device=device) or close_from) > close_from
            ),
            what=f"{client.slug}'s rollups closed to within the close delay",
        )
        with tenant_context(client):
            assert EnergyRollup.objects.filter(device_id=device.pk).count() >= 3 * 96 - 16
            assert not ColdChunk.objects.exists()
