"""Notification channels of a client: created per kind, secrets never shown, and kept when a change omits
or masks them."""

from django_tenants.utils import tenant_context

from notifications.models import NotificationChannel

WEBHOOK = {
    "name": "Integrador",
    "kind": "webhook",
    "min_severity": "critical",
    "send_cleared": False,
    "config": {"url": "https://hooks.example.com/pieng", "secret": "s3cret-for-hmac"},
}


def test_a_webhook_channel_is_created_and_its_secret_is_never_shown(acme_api):
    created = acme_api.post("/api/notifications/channels", WEBHOOK)
    listed = acme_api.get("/api/notifications/channels").json()["results"]

    assert created.status_code == 201
    assert created.json()["config"] == {"url": "https://hooks.example.com/pieng", "secret": "***"}
    assert [channel["config"]["secret"] for channel in listed] == ["***"]
    assert (created.json()["min_severity"], created.json()["send_cleared"]) == ("critical", False)


def test_a_patch_without_the_secret_or_with_the_mask_keeps_it(acme_api, acme):
    channel_id = acme_api.post("/api/notifications/channels", WEBHOOK).json()["id"]

    acme_api.patch(
        f"/api/notifications/channels/{channel_id}", {"config": {"url": "https://other.example.com/h"}}
    )
    acme_api.patch(
        f"/api/notifications/channels/{channel_id}",
        {"config": {"url": "https://other.example.com/h", "secret": "***"}},
    )

    with tenant_context(acme):
        assert NotificationChannel.objects.get(pk=channel_id).config == {
            "url": "https://other.example.com/h",
            "secret": "s3cret-for-hmac",
        }


def test_a_patch_with_a_new_secret_replaces_it(acme_api, acme):
    channel_id = acme_api.post("/api/notifications/channels", WEBHOOK).json()["id"]

    acme_api.patch(
        f"/api/notifications/channels/{channel_id}",
        {"config": {"url": "https://hooks.example.com/pieng", "secret": "a-new-secret"}},
    )

    with tenant_context(acme):
        assert NotificationChannel.objects.get(pk=channel_id).config["secret"] == "a-new-secret"


def test_each_kind_is_created_with_its_settings(acme_api):
    configs = {
        "email": {"to": ["ops@acme.example"]},
        "telegram": {"bot_token": "123456:ABC-def", "chat_id": "-100123"},
        "sms": {
            "account_sid": "AC123",
            "auth_token": "token-123456",
            "from": "+5511900000000",
            "to": "+5511911112222",
        },
    }
    for kind, config in configs.items():
        response = acme_api.post(
            "/api/notifications/channels", {"name": kind, "kind": kind, "config": config}
        )
        assert response.status_code == 201, response.json()

    telegram, sms = acme_api.get("/api/notifications/channels").json()["results"][1:]
    assert telegram["config"]["bot_token"] == "***" and sms["config"]["auth_token"] == "***"


def test_a_bad_config_is_refused_naming_the_setting(acme_api):
    cases = [
        ({"url": "ftp://x.example", "secret": "long-enough"}, "url"),
        ({"url": "https://x.example"}, "secret"),
        ({"url": "https://x.example", "secret": "long-enough", "extra": 1}, "extra"),
        ({"url": "http://x.example:99999/", "secret": "long-enough"}, "url"),
    ]
    for config, field in cases:
        response = acme_api.post("/api/notifications/channels", WEBHOOK | {"config": config})
        assert response.status_code == 400 and field in response.json()["config"], (config, response.json())
    response = acme_api.post(
        "/api/notifications/channels", {"name": "m", "kind": "email", "config": {"to": ["not an address"]}}
    )
    assert "to" in response.json()["config"]


def test_an_unknown_kind_or_severity_is_refused(acme_api):
    assert "kind" in acme_api.post("/api/notifications/channels", WEBHOOK | {"kind": "pigeon"}).json()
    assert (
        "min_severity" in acme_api.post("/api/notifications/channels", WEBHOOK | {"min_severity": "x"}).json()
    )


def test_a_channel_is_deleted(acme_api, acme):
    channel_id = acme_api.post("/api/notifications/channels", WEBHOOK).json()["id"]

    assert acme_api.delete(f"/api/notifications/channels/{channel_id}").status_code == 204
    with tenant_context(acme):
        assert not NotificationChannel.objects.exists()


def test_another_clients_channel_is_not_found(acme_api, globex_api):
    channel_id = acme_api.post("/api/notifications/channels", WEBHOOK).json()["id"]

    assert globex_api.get(f"/api/notifications/channels/{channel_id}").status_code == 404
    assert globex_api.patch(f"/api/notifications/channels/{channel_id}", {"name": "x"}).status_code == 404
    assert globex_api.get("/api/notifications/channels").json()["results"] == []
