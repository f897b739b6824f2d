"""Beat's daily maintenance task, run by the worker, closes the rollups of every client in its own schema."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from analytics.tasks import readings_maintain_clients
from meters.models import EnergyRollup
from tests.helpers.pipeline import closed_until, counter_meters_make
from tests.helpers.waiting import wait_until


def test_the_daily_task_closes_every_clients_buckets_in_its_schema(
    client_a, client_b, device_make, task_queue, celery_worker
):
    meters = counter_meters_make(clients=[client_a, client_b], device_make=device_make, days=2)

    readings_maintain_clients.apply_async(queue=task_queue)

    day_ago = timezone.now() - timedelta(days=1)
    for client, device in meters:
        wait_until(
            lambda client=client, device=device: (
                (closed_until(client=client, device=device) or day_ago) > day_ago
            ),
            what=f"{client.slug}'s rollups closed",
        )
        with tenant_context(client):
            assert EnergyRollup.objects.filter(device_id=device.pk).count() >= 96
