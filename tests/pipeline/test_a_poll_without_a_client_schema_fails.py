from django.db import connection

from meters.polling.schedule import TenantRequired
from meters.polling.tasks import poll_device
from tests.helpers.waiting import wait_until


def test_a_poll_sent_from_the_public_schema_fails_instead_of_running_there():
    connection.set_schema_to_public()

    result = poll_device.apply(kwargs={"device_id": 1})

    assert result.failed()
    assert isinstance(result.result, TenantRequired)


def test_the_worker_reports_a_poll_without_a_client_schema_as_an_error(task_queue, celery_worker):
    connection.set_schema_to_public()

    sent = poll_device.apply_async(kwargs={"device_id": 1}, queue=task_queue)

    wait_until(
        lambda: f"{sent.id}] raised unexpected: TenantRequired" in celery_worker.read_text(),
        what="the worker's error line",
    )
