import pytest
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from meters.readings import layouts

METRICS_TOKEN = "metrics-token-for-tests"


@pytest.fixture
def metrics_token():
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        yield METRICS_TOKEN


def scrape(client, token: str) -> dict[tuple[str, tuple], float]:
    """GET /metrics as Prometheus does (by address, with the token): {(sample name, labels): value}."""
    response = client.get("/metrics", HTTP_HOST="10.0.0.5:8000", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.fixture
def commits_run(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the metrics count there) inside the test's transaction. The ingest
    path also remembers layout ids on commit, ids this transaction's rollback takes away: forget them."""
    remembered = dict(layouts._layout_ids)
    yield django_capture_on_commit_callbacks
    layouts._layout_ids.clear()
    layouts._layout_ids.update(remembered)
