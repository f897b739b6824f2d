from tests.helpers.deploy import ADMIN_USERNAME, PLATFORM_DOMAIN, database_rows


def test_the_migrate_role_creates_the_platform_on_its_domain_and_the_first_superuser(
    migrated, deploy_database
):
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "Created the platform tenant." in migrated.stdout
    assert f"Created the superuser {ADMIN_USERNAME}." in migrated.stdout
    assert database_rows(
        deploy_database,
        "SELECT d.domain, c.schema_name FROM tenants_domain d JOIN tenants_client c ON c.id = d.tenant_id",
    ) == [(PLATFORM_DOMAIN, "public")]
    assert database_rows(
        deploy_database, "SELECT username, email, is_staff, is_superuser FROM tenants_user"
    ) == [(ADMIN_USERNAME, "operator@example.test", True, True)]
