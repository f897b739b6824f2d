"""Docker cannot run here: the compose file is checked against the Compose Specification's schema (the
copy check-jsonschema ships) and for what an installation needs; the image's files for what they keep out."""

import json
import re
from importlib import resources

import jsonschema
import yaml

from tests.helpers.deploy import BASE_DIR

DOCKER = BASE_DIR / "docker"
ROLES = ("migrate", "web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yml").read_text())


def test_the_compose_file_is_valid_against_the_compose_specification():
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())

    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(compose()))

    assert errors == []


def test_postgresql_and_redis_keep_their_data_answer_health_checks_and_restart():
    services = compose()["services"]

    for name, data_dir in (("db", "/var/lib/postgresql/data"), ("redis", "/data")):
        service = services[name]
        assert any(volume.endswith(f":{data_dir}") for volume in service["volumes"]), name
        assert service["healthcheck"]["test"], name
        assert service["restart"] == "unless-stopped", name


def test_every_role_runs_from_the_one_image_and_starts_after_migrate():
    services = compose()["services"]
    entrypoint = (DOCKER / "entrypoint.sh").read_text()

    assert {name: services[name]["command"] for name in ROLES} == {name: [name] for name in ROLES}
    assert {services[name]["image"] for name in ROLES} == {"pieng:latest"}
    assert all(re.search(rf"^\s+{role}\)$", entrypoint, re.MULTILINE) for role in ROLES)
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["db"] == depends["redis"] == {"condition": "service_healthy"}, name
        assert services[name]["restart"] == "unless-stopped", name
        assert services[name]["environment"]["DEBUG"] == "false", name
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["healthcheck"]["test"]


def test_web_worker_and_beat_share_the_metrics_directory():
    services = compose()["services"]

    for name in ("web", "worker", "beat"):
        directory = services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"]
        assert f"metrics:{directory}" in services[name]["volumes"], name


def test_the_image_runs_unprivileged_and_reads_no_env_file():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)

    assert users and users[-1] not in ("root", "0")
    assert "PIENG_DOTENV=0" in dockerfile
    assert not re.search(r"^(COPY|ADD)\s.*\.env", dockerfile, re.MULTILINE)
    assert 'ENTRYPOINT ["/app/docker/entrypoint.sh"]' in dockerfile


def test_secrets_and_machine_state_stay_out_of_the_build_context():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()

    assert {".env", "var/", ".venv/", ".git"} <= set(ignored)
