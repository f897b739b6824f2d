"""SMS (a Twilio-compatible gateway), Telegram and e-mail get the event in Portuguese, with the device,
value, threshold, unit and the client's local time."""

import base64
import json
from datetime import UTC, datetime

from django.core import mail

from tests.helpers.alarms import rule_make
from tests.helpers.devices import readings_store
from tests.helpers.notifications import channel_make, drain

RAISED_AT = datetime(2025, 3, 1, 12, tzinfo=UTC)  # 09:00 in São Paulo
EXPECTED = (
    "Alarme CRÍTICO em SDM630 entrada: power = 5.230,5 W (limite > 5.000 W) em 01/03/2025 09:00:00."
    " Regra: Sobrecarga."
)


def raise_overload(acme, acme_device) -> None:
    rule_make(acme, name="Sobrecarga", threshold=5000.0, severity="critical")
    readings_store(acme, acme_device, [(RAISED_AT, {"power": 5230.5})])
    drain()


def test_the_sms_gateway_receives_the_portuguese_text(acme, acme_device, receiver):
    config = {
        "account_sid": "AC0001",
        "auth_token": "sms-token-123",
        "from": "+5511900000000",
        "to": "+5511911112222",
        "base_url": receiver.url,
    }
    channel_make(acme, kind="sms", config=config)

    raise_overload(acme, acme_device)

    [request] = receiver.delivered()
    assert request.path == "/2010-04-01/Accounts/AC0001/Messages.json"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"AC0001:sms-token-123").decode()
    assert request.form == {"To": "+5511911112222", "From": "+5511900000000", "Body": EXPECTED}


def test_telegram_receives_the_portuguese_text(acme, acme_device, receiver, settings):
    settings.TELEGRAM_API_URL = receiver.url
    channel_make(acme, kind="telegram", config={"bot_token": "123456:ABC-def", "chat_id": "-100987"})

    raise_overload(acme, acme_device)

    [request] = receiver.delivered()
    assert request.path == "/bot123456:ABC-def/sendMessage"
    assert json.loads(request.body) == {"chat_id": "-100987", "text": EXPECTED}


def test_an_email_channel_mails_its_addresses_in_portuguese(acme, acme_device):
    channel_make(acme, kind="email", config={"to": ["ops@acme.example", "plantao@acme.example"]})

    raise_overload(acme, acme_device)

    [message] = mail.outbox
    assert message.to == ["ops@acme.example", "plantao@acme.example"]
    assert message.subject == "[Pieng] Acme Energia: alarme CRÍTICO em SDM630 entrada"
    assert message.body == EXPECTED
