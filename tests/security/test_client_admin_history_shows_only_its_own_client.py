"""A client's admin shows only that client's change log: the history of an object and "recent actions"
never show another client's edits of an object with the same id."""

from django.contrib.admin.models import LogEntry
from django.test import Client as Browser
from django_tenants.utils import tenant_context

from meters.models import Device
from tenants.models import User
from tenants.services import user_create
from tests.helpers.api import ACME, GLOBEX

CONFIG = '{"host": "10.0.0.109", "driver": "sdm630"}'


def signed_in(username: str) -> Browser:
    """A browser of its own, so that one user's "changed" message never shows on another's page."""
    browser = Browser()
    browser.force_login(User.objects.get(username=username))
    return browser


def device_edit(client, host: str, device: Device, name: str) -> None:
    response = client.post(
        f"/admin/meters/device/{device.pk}/change/",
        {
            "name": name,
            "device_type": "modbus_tcp",
            "active": "on",
            "role": "grid",
            "nominal_voltage": "127",
            "config": CONFIG,
        },
        HTTP_HOST=host,
    )
    assert response.status_code == 302


def twin_devices(acme, globex) -> tuple[Device, Device]:
    """One device in each client with the same id."""
    with tenant_context(globex):
        theirs = Device.objects.create(
            name="Globex meter", device_type="modbus_tcp", config={"driver": "sdm630", "host": "10.0.0.9"}
        )
    with tenant_context(acme):
        ours = Device.objects.create(
            pk=theirs.pk,
            name="Acme meter",
            device_type="modbus_tcp",
            config={"driver": "sdm630", "host": "10.0.0.8"},
        )
    return ours, theirs


def test_an_objects_history_shows_only_this_clients_edits(acme, globex):
    ours, theirs = twin_devices(acme, globex)
    device_edit(signed_in("globex-user"), GLOBEX, theirs, "Globex secret project meter")

    history = (
        signed_in("acme-user")
        .get(f"/admin/meters/device/{ours.pk}/history/", HTTP_HOST=ACME)
        .content.decode()
    )

    assert "Globex secret project meter" not in history and "globex-user" not in history


def test_recent_actions_show_only_this_clients_edits(acme, globex):
    ours, theirs = twin_devices(acme, globex)
    device_edit(signed_in("staff"), GLOBEX, theirs, "Globex secret project meter")
    staff = signed_in("staff")
    device_edit(staff, ACME, ours, "Acme renamed meter")
    staff.get("/admin/", HTTP_HOST=ACME)  # shows, and so uses up, the "changed" message

    index = staff.get("/admin/", HTTP_HOST=ACME).content.decode()

    assert "Acme renamed meter" in index and "Globex secret project meter" not in index


def test_a_user_who_edited_in_a_clients_admin_can_still_be_deleted(client, acme):
    editor = user_create(username="editor", password="correct horse battery", client=acme, is_staff=True)
    with tenant_context(acme):
        device = Device.objects.create(
            name="Meter", device_type="modbus_tcp", config={"driver": "sdm630", "host": "10.0.0.8"}
        )
    client.force_login(editor)
    device_edit(client, ACME, device, "Renamed")

    editor.delete()

    with tenant_context(acme):
        assert not LogEntry.objects.filter(user_id=editor.pk).exists()
