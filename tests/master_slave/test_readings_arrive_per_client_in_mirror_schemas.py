import pytest

from .conftest import EVER, now

pytestmark = pytest.mark.slow


def test_every_reading_arrives_in_its_clients_mirror_and_same_device_ids_do_not_collide(pair):
    pair.wait_for_polls(since=EVER, per_device=2)
    until = now()

    pair.wait_in_step(until=until)

    assert [client.device_ids for client in pair.clients] == [[1, 2], [1, 2]]
    for client in pair.clients:
        master_devices = pair.master.sql(
            f'SELECT uuid, name FROM "{client.schema}".meters_device ORDER BY uuid'
        )
        slave_devices = pair.slave.sql(
            f'SELECT uuid, name FROM "{client.schema}".meters_device WHERE mirror ORDER BY uuid'
        )
        assert slave_devices == master_devices
        per_device = pair.slave.sql(
            f'SELECT device_id, count(*) FROM "{client.schema}".meters_reading WHERE ts <= %s GROUP BY 1',
            [until],
        )
        assert len(per_device) == 2 and min(count for _, count in per_device) >= 2
    mirrors = pair.slave.sql(
        "SELECT slug, name, time_zone FROM tenants_client WHERE slug IN ('norte', 'sul') ORDER BY slug"
    )
    assert mirrors == [("norte", "Usina Norte", "America/Manaus"), ("sul", "Usina Sul", "America/Manaus")]
