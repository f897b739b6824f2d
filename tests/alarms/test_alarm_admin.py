"""The client admin lists the alarms that are up apart from the history, and acknowledges them."""

from datetime import UTC, datetime, timedelta

from django_tenants.utils import tenant_context

from alarms.models import AlarmEvent
from tests.helpers.alarms import rule_make
from tests.helpers.devices import readings_store

T0 = datetime(2025, 3, 1, 12, tzinfo=UTC)


def test_active_alarms_are_listed_apart_and_acknowledged_from_the_admin(client, acme, acme_device):
    rule_make(acme, name="Sobrecarga")
    rule_make(acme, name="Subtensão", metric="voltage_l1", operator="<", threshold=110.0)
    readings_store(acme, acme_device, [(T0, {"power": 500.0, "voltage_l1": 100.0})])
    readings_store(acme, acme_device, [(T0 + timedelta(minutes=1), {"power": 5.0, "voltage_l1": 100.0})])
    client.force_login(acme.users.get())
    changelist = "/admin/alarms/alarmevent/"

    def listed(active: str) -> list[tuple[str, str]]:
        page = client.get(changelist, {"active": active}, HTTP_HOST="acme.localhost")
        return sorted((event.rule.name, event.kind) for event in page.context["cl"].result_list)

    assert listed("yes") == [("Subtensão", "raised")]
    assert listed("no") == [("Sobrecarga", "cleared"), ("Sobrecarga", "raised")]

    with tenant_context(acme):
        raised = AlarmEvent.objects.get(rule__name="Subtensão")
    response = client.post(
        changelist,
        {"action": "acknowledge", "_selected_action": [raised.pk]},
        HTTP_HOST="acme.localhost",
    )

    assert response.status_code == 302
    with tenant_context(acme):
        raised.refresh_from_db()
    assert raised.acknowledged_by == "acme-user" and raised.cleared_at is None
