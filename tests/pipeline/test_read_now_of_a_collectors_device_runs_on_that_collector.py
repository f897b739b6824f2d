""" "Read now" of a device behind a collector: its meter is wired to the collector's machine, so the read is
done by a worker of that collector and its reading comes back to the caller; with no worker of the
collector running, the caller is told so at once instead of the web server trying the meter itself."""

import uuid

from django.db import connection

from tenants.models import User
from tenants.services import user_create
from tests.helpers.api import api_client
from tests.helpers.personas import PASSWORD
from tests.helpers.pipeline import readings_count, rtu_config


def _read_now(*, client, device):
    """`POST /read` by a staff user of the client, created for the call."""
    connection.set_schema_to_public()
    username = f"reader-{uuid.uuid4().hex[:8]}"
    user_create(username=username, password=PASSWORD, client=client, is_staff=True)
    try:
        return api_client(host=client.portal_domain, username=username).post(f"/api/devices/{device.pk}/read")
    finally:
        User.objects.filter(username=username).delete()


def test_read_now_is_done_by_a_worker_of_the_devices_collector(
    client_a, device_make, ew11_start, collector_workers, tmp_path
):
    collector = f"site-{uuid.uuid4().hex[:8]}"
    ew11 = ew11_start(slave_ids=[1])
    device = device_make(
        client=client_a, name="on site", config=rtu_config(port=ew11.port, slave_id=1), collector=collector
    )
    collector_workers([collector])
    response = _read_now(client=client_a, device=device)

    assert response.status_code == 200, response.content
    assert 100 < response.json()["metrics"]["voltage_l1"] < 260
    assert readings_count(client=client_a, device_id=device.pk) == 1
    assert "meters.read_device" in (tmp_path / f"collector-{collector}.log").read_text()


def test_read_now_of_a_device_whose_collector_is_offline_says_so(client_a, device_make, ew11_start):
    collector = f"gone-{uuid.uuid4().hex[:8]}"
    ew11 = ew11_start(slave_ids=[1])
    device = device_make(
        client=client_a, name="off site", config=rtu_config(port=ew11.port, slave_id=1), collector=collector
    )
    response = _read_now(client=client_a, device=device)

    assert response.status_code == 503
    assert response.json()["detail"] == f"collector {collector!r} is offline"
    assert ew11.bus.transactions == 0
    assert readings_count(client=client_a, device_id=device.pk) == 0
