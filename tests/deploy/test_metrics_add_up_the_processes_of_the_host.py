"""gunicorn's /metrics shows what another process of the host (a Celery worker) counted."""

import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.deploy import BASE_DIR, METRICS_TOKEN

# What a Celery worker's receiver does; the metrics module needs no Django set up.
COUNT_IN_ANOTHER_PROCESS = 'from monitoring.metrics import polls; polls.labels(result="backed_off").inc(3)'


def backed_off(web) -> float:
    response = web.get(
        "/metrics", headers={"Host": "10.1.2.3:8000", "Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    assert response.status_code == 200
    samples = {
        (sample.name, tuple(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }
    return samples["pieng_polls_total", (("result", "backed_off"),)]


def test_metrics_of_another_process_show_on_every_web_process(webs, production_env):
    before = [backed_off(web) for web in webs]

    subprocess.run(
        [sys.executable, "-c", COUNT_IN_ANOTHER_PROCESS], cwd=BASE_DIR, env=production_env, check=True
    )

    assert [backed_off(web) for web in webs] == [value + 3 for value in before]


def test_metrics_over_gunicorn_refuse_a_caller_without_the_token(webs):
    response = webs[0].get("/metrics", headers={"Host": "10.1.2.3:8000"})

    assert response.status_code == 401
