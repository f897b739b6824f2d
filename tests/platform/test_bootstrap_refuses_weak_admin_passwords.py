import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tenants.models import User


@pytest.mark.parametrize("password", ["admin", "demo", ""])
def test_bootstrap_with_debug_off_refuses_a_development_or_empty_admin_password(db, password):
    with override_settings(DEBUG=False, PIENG_ADMIN_USERNAME="root2", PIENG_ADMIN_PASSWORD=password):
        with pytest.raises(CommandError, match="PIENG_ADMIN_PASSWORD"):
            call_command("bootstrap")

    assert not User.objects.filter(username="root2").exists()


def test_bootstrap_leaves_an_existing_administrator_as_it_is(db):
    with override_settings(PIENG_ADMIN_USERNAME="staff", PIENG_ADMIN_PASSWORD=""):
        call_command("bootstrap")

    assert User.objects.get(username="staff").check_password("correct horse battery")
