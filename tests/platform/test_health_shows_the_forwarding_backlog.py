from django.db import connection

from forwarding.delivery import FORWARD_KIND
from outbox.services import outbox_put


def test_health_shows_the_forwarding_backlog_and_its_age_when_forwarding_is_on(client, acme, settings):
    settings.ENABLE_FORWARDING = True
    connection.set_tenant(acme)
    outbox_put(kind=FORWARD_KIND, payload={})
    outbox_put(kind=FORWARD_KIND, payload={})
    connection.set_schema_to_public()

    forwarding = client.get("/api/health", HTTP_HOST="localhost").json()["forwarding"]

    assert forwarding["backlog"] == 2
    assert 0 <= forwarding["oldest_s"] < 60


def test_health_has_no_forwarding_section_when_forwarding_is_off(client, db, settings):
    settings.ENABLE_FORWARDING = False

    assert "forwarding" not in client.get("/api/health", HTTP_HOST="localhost").json()
