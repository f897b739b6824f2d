import subprocess
import sys

from tests.helpers.deploy import BASE_DIR, database_rows

SNAPSHOT = """
    SELECT 'client', schema_name, name, slug FROM tenants_client
    UNION ALL SELECT 'domain', domain, is_primary::text, tenant_id::text FROM tenants_domain
    UNION ALL SELECT 'user', username, password, is_superuser::text FROM tenants_user
    ORDER BY 1, 2
"""


def bootstrap(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "bootstrap"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )


def test_running_bootstrap_twice_more_changes_nothing_and_succeeds(migrated, production_env, deploy_database):
    before = database_rows(deploy_database, SNAPSHOT)

    runs = [
        bootstrap(production_env),
        bootstrap(production_env | {"PIENG_ADMIN_PASSWORD": "An0ther-long-one"}),
    ]

    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    assert all("Nothing to do: already bootstrapped." in run.stdout for run in runs)
    assert database_rows(deploy_database, SNAPSHOT) == before
