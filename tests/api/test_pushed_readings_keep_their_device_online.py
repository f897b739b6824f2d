from datetime import datetime, timedelta

from django.utils import timezone


def test_a_pushed_reading_makes_its_device_online_and_an_older_one_does_not_move_it_back(
    acme_api, acme_device
):
    now = timezone.now().replace(microsecond=0)
    device_url = f"/api/devices/{acme_device.pk}"
    before = acme_api.get(device_url).json()

    acme_api.post(
        "/api/ingest", {"device_id": acme_device.pk, "ts": now.isoformat(), "metrics": {"power": 1.0}}
    )
    after_push = acme_api.get(device_url).json()
    earlier = (now - timedelta(hours=1)).isoformat()
    acme_api.post("/api/ingest", {"device_id": acme_device.pk, "ts": earlier, "metrics": {"power": 2.0}})
    after_replay = acme_api.get(device_url).json()

    assert (before["online"], before["last_reading_at"]) == (False, None)
    assert after_push["online"] is True
    assert after_push["last_reading_at"] == after_replay["last_reading_at"]
    assert datetime.fromisoformat(after_push["last_reading_at"]) == now
