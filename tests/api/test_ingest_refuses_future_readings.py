"""A reading stamped more than INGEST_MAX_FUTURE (5 min) ahead of the server's clock is refused, naming its
index and `ts`, and nothing of its batch is stored; a meter clock a little fast is fine."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from meters.models import Reading


def _reading(device_id: int, *, ahead: timedelta) -> dict:
    return {"device_id": device_id, "ts": (timezone.now() + ahead).isoformat(), "metrics": {"power": 1.0}}


def test_a_reading_a_year_ahead_is_refused_naming_index_and_ts(acme_api, acme, acme_device):
    batch = [
        _reading(acme_device.pk, ahead=timedelta(0)),
        _reading(acme_device.pk, ahead=timedelta(days=365)),
    ]

    response = acme_api.post("/api/ingest", batch, format="json")

    assert response.status_code == 400
    assert (response.json()["index"], response.json()["field"]) == (1, "ts")
    assert "ahead of the server's clock" in response.json()["detail"]
    with tenant_context(acme):
        assert not Reading.objects.filter(device_id=acme_device.pk).exists()


def test_a_meter_clock_four_minutes_fast_is_accepted(acme_api, acme_device):
    response = acme_api.post(
        "/api/ingest", _reading(acme_device.pk, ahead=timedelta(minutes=4)), format="json"
    )

    assert response.status_code == 201


@override_settings(INGEST_MAX_FUTURE=30)
def test_the_limit_is_a_setting(acme_api, acme_device):
    response = acme_api.post(
        "/api/ingest", _reading(acme_device.pk, ahead=timedelta(minutes=1)), format="json"
    )

    assert response.status_code == 400
    assert "more than 30 s ahead" in response.json()["detail"]
