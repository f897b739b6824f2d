"""Beat's daily maintenance task, run by the worker, closes the rollups of every client in its own schema."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from analytics.tasks import readings_maintain_clients
from meters.models import EnergyRollup
from meters.readings.ingest import ReadingIn, readings_ingest
from meters.readings.rollups import rollup_closed_until
from tests.helpers.pipeline import rtu_config
from tests.helpers.waiting import wait_until


def _day_of_readings_store(*, client, device) -> None:
    start = timezone.now() - timedelta(days=2)
    with tenant_context(client):
        readings_ingest(
            readings=[
                ReadingIn(
                    device_id=device.pk, ts=start + k * timedelta(minutes=5), metrics={"energy_import": k}
                )
                for k in range(288)
            ]
        )


def _closed_until(*, client, device):
    with tenant_context(client):
        return rollup_closed_until(device_id=device.pk)


def test_the_daily_task_closes_every_clients_buckets_in_its_schema(
    client_a, client_b, device_make, task_queue, celery_worker
):
    in_a = device_make(client=client_a, name="A meter", config=rtu_config(port=1502, slave_id=1))
    in_b = device_make(client=client_b, name="B meter", config=rtu_config(port=1502, slave_id=1))
    _day_of_readings_store(client=client_a, device=in_a)
    _day_of_readings_store(client=client_b, device=in_b)

    readings_maintain_clients.apply_async(queue=task_queue)

    day_ago = timezone.now() - timedelta(days=1)
    for client, device in ((client_a, in_a), (client_b, in_b)):
        wait_until(
            lambda client=client, device=device: (
                (_closed_until(client=client, device=device) or day_ago) > day_ago
            ),
            what=f"{client.slug}'s rollups closed",
        )
        with tenant_context(client):
            assert EnergyRollup.objects.filter(device_id=device.pk).count() >= 96
