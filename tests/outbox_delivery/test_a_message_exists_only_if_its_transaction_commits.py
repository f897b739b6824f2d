import pytest
from django.db import connection, transaction

from outbox.models import OutboxMessage
from outbox.services import outbox_put


class Rollback(Exception):
    pass


def test_a_message_put_in_a_rolled_back_transaction_is_not_stored(in_acme):
    with pytest.raises(Rollback), transaction.atomic():
        outbox_put(kind="test.rollback", payload={"n": 1})
        raise Rollback
    assert not OutboxMessage.objects.filter(kind="test.rollback").exists()


def test_a_message_records_the_client_schema_of_the_callers_connection(in_acme):
    message = outbox_put(kind="test.schema", payload={"n": 1})
    connection.set_schema_to_public()
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.schema_name == in_acme.schema_name
    assert stored.state == OutboxMessage.State.PENDING
    assert stored.payload == {"n": 1}
