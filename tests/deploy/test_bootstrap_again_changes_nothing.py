import subprocess
import sys

from tests.helpers.deploy import BASE_DIR, database_rows

SNAPSHOT = """
    SELECT 'client', schema_name, name, slug FROM tenants_client
    UNION ALL SELECT 'domain', domain, is_primary::text, tenant_id::text FROM tenants_domain
    UNION ALL SELECT 'user', username, password, is_superuser::text FROM tenants_user
    ORDER BY 1, 2
"""


# Twice in one process: one Django start instead of two.
BOOTSTRAP_TWICE = "import django; django.setup(); from django.core.management import call_command; " + (
    "call_command('bootstrap'); call_command('bootstrap')"
)


def test_running_bootstrap_twice_more_changes_nothing_and_succeeds(migrated, production_env, deploy_database):
    before = database_rows(deploy_database, SNAPSHOT)

    run = subprocess.run(
        [sys.executable, "-c", BOOTSTRAP_TWICE],
        cwd=BASE_DIR,
        env=production_env | {"PIENG_ADMIN_PASSWORD": "An0ther-long-one"},
        capture_output=True,
        text=True,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.count("Nothing to do: already bootstrapped.") == 2
    assert database_rows(deploy_database, SNAPSHOT) == before
