"""The client admin never shows a channel's secret, and saving the masked form keeps it."""

from notifications.models import NotificationChannel
from notifications.services import channel_create

CONFIG = {"url": "https://hooks.acme.example/pieng", "secret": "the-real-secret-value"}


def test_the_change_form_masks_the_secret_and_saving_it_keeps_the_secret(client, acme, in_acme):
    channel = channel_create(fields={"name": "Integrador", "kind": "webhook", "config": CONFIG})
    client.force_login(acme.users.get())
    url = f"/admin/notifications/notificationchannel/{channel.pk}/change/"

    page = client.get(url, HTTP_HOST="acme.localhost").content.decode()
    response = client.post(
        url,
        {
            "name": "Integrador",
            "kind": "webhook",
            "min_severity": "critical",
            "send_cleared": "on",
            "active": "on",
            "config": '{"url": "https://hooks.acme.example/v2", "secret": "***"}',
        },
        HTTP_HOST="acme.localhost",
    )

    assert "the-real-secret-value" not in page and "***" in page
    assert response.status_code == 302
    channel = NotificationChannel.objects.get()
    assert channel.config == {"url": "https://hooks.acme.example/v2", "secret": "the-real-secret-value"}
    assert channel.min_severity == "critical"
