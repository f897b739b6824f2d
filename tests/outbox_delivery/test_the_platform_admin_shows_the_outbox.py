from outbox.models import OutboxMessage
from outbox.services import outbox_drain
from tenants.models import User

from .conftest import put_in


def test_staff_see_the_backlog_per_kind_and_the_last_error(client, acme, kind_make, receiver):
    kind = kind_make(ordered=True)
    put_in(acme, kind=kind, numbers=[1, 2])
    receiver.answers[acme.schema_name] = "park"
    outbox_drain(kind=kind)
    client.force_login(User.objects.get(username="staff"))

    page = client.get("/admin/outbox/outboxmessage/", HTTP_HOST="localhost").content.decode()

    assert kind in page
    assert "receiver refuses this client" in page
    per_client = page.split('id="outbox-backlog-per-client"')[1].split("</table>")[0]
    assert "Acme Energia" in per_client


def test_staff_put_parked_messages_back_in_the_queue(client, acme, kind_make, receiver):
    kind = kind_make(ordered=True)
    messages = put_in(acme, kind=kind, numbers=[1])
    receiver.answers[acme.schema_name] = "park"
    outbox_drain(kind=kind)
    client.force_login(User.objects.get(username="staff"))

    response = client.post(
        "/admin/outbox/outboxmessage/",
        {"action": "retry_parked", "_selected_action": [m.id for m in messages]},
        HTTP_HOST="localhost",
    )

    assert response.status_code == 302
    assert OutboxMessage.objects.get(pk=messages[0].id).state == OutboxMessage.State.PENDING
