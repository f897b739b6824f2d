"""Cloud mode: tinytuya.Cloud talks HTTPS to the region's OpenAPI host, here the fake cloud at the wire."""

from tuya_testing import cloud_config

from meters.drivers.tuya import tuya_read


def test_it_reads_a_plug_through_its_regions_openapi_host(fake_cloud):
    fake_cloud.statuses["bf8a1c2d3e4f5a6b7c8d"] = "status_plug_on.json"

    metrics = tuya_read(config=cloud_config(device_id="bf8a1c2d3e4f5a6b7c8d", region="us"))

    assert metrics == {
        "switch": 1.0,
        "current_l1": 1.184,
        "power": 140.2,
        "power_l1": 140.2,
        "voltage_l1": 126.8,
    }
    assert set(fake_cloud.tunnels) == {"openapi.tuyaus.com:443"}
    assert fake_cloud.requests == [
        "/v1.0/token?grant_type=1",
        "/v1.0/iot-03/devices/bf8a1c2d3e4f5a6b7c8d/status",
    ]


def test_it_reads_a_dual_meter_exporting_to_the_grid(fake_cloud):
    fake_cloud.statuses["eb5c55d3eca6c06c633vl7"] = "status_dual_meter.json"

    metrics = tuya_read(
        config=cloud_config(device_id="eb5c55d3eca6c06c633vl7", preset="dual_meter", region="eu")
    )

    assert metrics["power"] == -2073.4
    assert metrics["energy_import"] == 1523.46
    assert metrics["energy_export"] == 842.17
    assert set(fake_cloud.tunnels) == {"openapi.tuyaeu.com:443"}
