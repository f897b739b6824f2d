"""A channel's secrets (webhook secret, Telegram bot token, SMS auth token) are stored encrypted, as a
device's are: a dump of the database holds no usable credential."""

import json

from django.db import connection
from django_tenants.utils import tenant_context

from notifications.channels import CONFIGS
from notifications.models import CHANNEL_SECRET_FIELDS, NotificationChannel

WEBHOOK = {
    "name": "Integrador",
    "kind": "webhook",
    "min_severity": "warning",
    "send_cleared": False,
    "config": {"url": "https://hooks.example.com/pieng", "secret": "s3cret-for-hmac"},
}


def test_a_webhook_secret_is_stored_encrypted_and_read_back_whole(acme_api, acme):
    channel_id = acme_api.post("/api/notifications/channels", WEBHOOK).json()["id"]

    with tenant_context(acme), connection.cursor() as cursor:
        cursor.execute(
            "SELECT config::text FROM notifications_notificationchannel WHERE id = %s", [channel_id]
        )
        raw = json.loads(cursor.fetchone()[0])
        stored = NotificationChannel.objects.get(pk=channel_id).config

    assert raw["secret"].startswith("fernet:") and "s3cret-for-hmac" not in json.dumps(raw)
    assert stored["secret"] == "s3cret-for-hmac"


def test_every_kinds_secret_is_encrypted():
    assert {name for spec in CONFIGS.values() for name in spec.secrets} == set(CHANNEL_SECRET_FIELDS)
