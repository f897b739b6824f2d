"""Each distinct set of metric names is a stored layout: a device may use DEVICE_MAX_LAYOUTS of them (64),
and a reading with one more is refused naming its index, so no sender can grow the layouts without end."""

from django.test import override_settings

from tests.helpers.devices import device_add


def _reading(device_id: int, *, minute: int, names: list[str]) -> dict:
    return {
        "device_id": device_id,
        "ts": f"2025-03-01T12:{minute:02d}:00Z",
        "metrics": dict.fromkeys(names, 1.0),
    }


@override_settings(DEVICE_MAX_LAYOUTS=3)
def test_a_device_past_its_layouts_is_refused_naming_the_reading(acme_api, acme, acme_device):
    for minute, names in enumerate((["power"], ["power", "voltage_l1"], ["voltage_l1"])):
        assert (
            acme_api.post("/api/ingest", _reading(acme_device.pk, minute=minute, names=names)).status_code
            == 201
        )

    batch = [
        _reading(acme_device.pk, minute=10, names=["power"]),
        _reading(acme_device.pk, minute=11, names=["current_l1"]),
    ]
    response = acme_api.post("/api/ingest", batch, format="json")

    assert response.status_code == 400
    assert (response.json()["index"], response.json()["field"]) == (1, "metrics")
    assert "3 different sets of metric names" in response.json()["detail"]
    assert (
        acme_api.post("/api/ingest", _reading(acme_device.pk, minute=12, names=["power"])).status_code == 201
    )
    other = device_add(acme, name="Outro medidor")
    assert acme_api.post("/api/ingest", _reading(other.pk, minute=0, names=["current_l1"])).status_code == 201
