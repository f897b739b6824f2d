"""Brazilian Portuguese is the platform's language; English is there for whoever asks for it."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.utils import translation

from alarms.models import AlarmRule
from meters.models import Device
from meters.readings.ingest import ReadingIn, readings_ingest
from notifications.services import channel_create
from tests.helpers.notifications import drain
from tests.helpers.personas import PASSWORD

ACME = "acme.localhost"


@pytest.fixture
def acme_device(in_acme):
    return Device.objects.create(
        name="Quadro geral", device_type="modbus_tcp", config={"driver": "sdm630", "host": "127.0.0.1"}
    )


def test_the_login_page_is_in_portuguese_by_default(client, acme):
    page = client.get("/login/", HTTP_HOST=ACME).content.decode()

    assert '<html lang="pt-br">' in page
    assert "<h1>Entrar</h1>" in page and "Nome de usuário" in page and "Senha" in page
    assert "Sign in" not in page


def test_a_visitor_who_chooses_english_gets_the_login_page_in_english(client, acme):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, HTTP_HOST=ACME)
    assert response.status_code == 302

    page = client.get("/login/", HTTP_HOST=ACME).content.decode()

    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page and "User name" in page
    assert "Entrar" not in page


def test_a_browser_asking_for_english_gets_the_login_page_in_english(client, acme):
    page = client.get("/login/", HTTP_HOST=ACME, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert "<h1>Sign in</h1>" in page
    assert "Entrar" not in page


def test_another_clients_user_is_told_in_portuguese_that_the_account_is_not_theirs(client, acme):
    response = client.post("/login/", {"username": "globex-user", "password": PASSWORD}, HTTP_HOST=ACME)

    assert "Esta conta não pertence a este cliente." in response.content.decode()


def test_the_overview_is_in_portuguese(client, acme, acme_device):
    client.force_login(acme.users.get())

    page = client.get("/", HTTP_HOST=ACME).content.decode()

    assert "<h1>Visão geral</h1>" in page
    for heading in ("Dispositivo", "Status", "Última leitura", "Últimos valores", "Último erro"):
        assert f"<th>{heading}</th>" in page
    assert "Consumo da rede" in page and "Injeção na rede" in page
    assert "Conexão com a rede (consumo e injeção)" in page and "offline" in page
    assert ">Alarmes</a>" in page and ">Relatórios</a>" in page and ">Sair</button>" in page


def test_the_clients_admin_is_in_portuguese(client, acme, acme_device):
    client.force_login(acme.users.get())

    index = client.get("/admin/", HTTP_HOST=ACME).content.decode()
    devices = client.get("/admin/meters/device/", HTTP_HOST=ACME).content.decode()

    assert "Medidores" in index and "Dispositivos" in index and "Regras de alarme" in index
    assert "Quadro geral" in devices and "Tipo de dispositivo" in devices and "Última leitura em" in devices


def test_alarm_mail_is_in_portuguese_even_when_the_readings_came_from_an_english_request(acme, acme_device):
    channel_create(fields={"name": "Plantão", "kind": "email", "config": {"to": ["op@acme.example"]}})
    AlarmRule.objects.create(name="Sobrecarga", metric="power", operator=">", threshold=100.0)
    readings = [
        ReadingIn(device_id=acme_device.pk, ts=datetime(2025, 3, 1, 12, tzinfo=UTC), metrics={"power": 500.0})
    ]

    with translation.override("en"):
        readings_ingest(readings=readings)
        drain()

    [message] = mail.outbox
    assert message.subject.startswith("[Pieng] Acme Energia: alarme ALERTA em")
    assert "(limite > 100 W)" in message.body and "Regra: Sobrecarga." in message.body
