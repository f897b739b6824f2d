"""GET /api/metrics answers a long range per bucket (count, mean, min, max), at the resolution asked or one
chosen from the range; raw responses are what they were; a bad resolution is a 400 naming it."""

from datetime import timedelta

import pytest

from analytics.rollups import rollups_close

from .conftest import END, START


def _series(api, device_id: int, **query):
    return api.get("/api/metrics", {"device_id": device_id, "metric": "power", **query})


@pytest.mark.parametrize(("days", "resolution"), [(1, None), (5, "15m"), (40, "1h"), (200, "1d")])
def test_the_resolution_follows_the_range(acme_api, meter, days, resolution):
    body = _series(
        acme_api, meter.pk, start=START.isoformat(), end=(START + timedelta(days=days)).isoformat()
    ).json()

    assert body.get("resolution") == resolution
    if resolution is None:
        assert set(body["points"][0]) == {"ts", "value"}
    else:
        assert set(body["points"][0]) == {"ts", "count", "mean", "min", "max"}


def test_hours_asked_come_newest_first_in_the_clients_time_zone(acme_api, meter):
    rollups_close(device_id=meter.pk, until=END)

    body = _series(acme_api, meter.pk, start=START.isoformat(), end=END.isoformat(), resolution="1h").json()

    hours = body["points"]
    assert body["resolution"] == "1h"
    assert len(hours) == 5 * 24 + 1
    assert hours[0]["ts"] > hours[-1]["ts"]
    assert hours[-1]["ts"] == "2025-10-30T01:00:00-03:00"  # acme's São Paulo time
    assert {hour["count"] for hour in hours} == {12}
    assert all(hour["min"] <= hour["mean"] <= hour["max"] for hour in hours)


def test_raw_asked_over_a_long_range_is_every_reading_up_to_the_limit(acme_api, meter):
    body = _series(
        acme_api, meter.pk, start=START.isoformat(), end=END.isoformat(), resolution="raw", limit=5000
    ).json()

    assert "resolution" not in body
    assert len(body["points"]) == 5 * 288 + 12


@pytest.mark.parametrize("resolution", ["5m", "", "1H", "day"])
def test_a_bad_resolution_is_a_400_naming_it(acme_api, meter, resolution):
    response = _series(acme_api, meter.pk, resolution=resolution)

    assert response.status_code == 400
    assert "resolution" in response.json()


def test_buckets_asked_need_a_bounded_range(acme_api, meter):
    open_ended = _series(acme_api, meter.pk, start=START.isoformat(), resolution="1h")
    too_long = _series(
        acme_api,
        meter.pk,
        start=START.isoformat(),
        end=(START + timedelta(days=1100)).isoformat(),
        resolution="15m",
    )

    assert open_ended.status_code == 400 and "end" in open_ended.json()
    assert too_long.status_code == 400 and "resolution" in too_long.json()
