"""A channel's URL makes the server post somewhere: it is held to the rule of device addresses (no
link-local or metadata address, none of the platform's own services), on save and again when sending."""

from urllib.parse import urlsplit

from django.conf import settings

from notifications.channels import webhook_send

WEBHOOK = {"name": "Integrador", "kind": "webhook", "min_severity": "warning", "send_cleared": False}


def test_a_webhook_at_the_cloud_metadata_address_is_refused_naming_the_url(acme_api):
    config = {"url": "http://169.254.169.254/latest/meta-data", "secret": "s3cret-for-hmac"}

    response = acme_api.post("/api/notifications/channels", WEBHOOK | {"config": config})

    assert response.status_code == 400
    assert "url" in response.json()["config"]


def test_an_sms_gateway_at_the_platforms_own_redis_is_refused(acme_api):
    redis = urlsplit(settings.REDIS_URL)
    config = {
        "to": "+5511999990000",
        "from": "+5511888880000",
        "account_sid": "AC0123456789",
        "auth_token": "token-0123456789",
        "base_url": f"http://{redis.hostname}:{redis.port}",
    }
    channel = {"name": "SMS", "kind": "sms", "min_severity": "warning", "send_cleared": False}

    response = acme_api.post("/api/notifications/channels", channel | {"config": config})

    assert response.status_code == 400
    assert "base_url" in response.json()["config"]


def test_a_stored_url_that_the_rule_refuses_is_not_posted_to():
    sent = webhook_send(
        config={"url": "http://169.254.169.254/hook", "secret": "s3cret-for-hmac"}, body=b"{}"
    )

    assert not sent.ok and not sent.retry
    assert "refused by policy" in sent.error
