from io import StringIO

from django.core.management import call_command

from pieng.launch import procfile_processes
from tenants.models import Client, User


def test_without_the_demo_only_the_platform_admin_is_created(db, settings):
    settings.PIENG_DEMO = False
    # Tests run with DEBUG off, where bootstrap refuses the development password.
    settings.PIENG_ADMIN_PASSWORD = "a-long-admin-password-for-tests"
    out = StringIO()

    call_command("demo_seed", "--banner", stdout=out)

    assert User.objects.get(username="admin").is_platform_staff
    assert not User.objects.filter(username="demo").exists()
    assert not Client.objects.filter(slug="demo").exists()
    assert "Demo client" not in out.getvalue()
    assert "admin / " in out.getvalue()


def test_without_the_demo_make_run_starts_no_simulators(settings):
    settings.PIENG_DEMO = False
    assert procfile_processes() == ["web", "worker", "beat"]

    settings.PIENG_DEMO = True
    assert procfile_processes() == ["web", "worker", "beat", "simulators"]
