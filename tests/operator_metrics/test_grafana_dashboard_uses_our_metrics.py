import json
import re
from pathlib import Path

from tests.helpers.metrics import scrape

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"


def test_every_metric_of_the_grafana_dashboard_is_served_by_metrics(client, db, metrics_token):
    dashboard = json.loads(DASHBOARD.read_text())
    used = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"pieng_\w+", target["expr"])
    }

    served = {name for name, _ in scrape(client, metrics_token)}

    assert used - served == set()
    assert {"pieng_polls_total", "pieng_devices", "pieng_schedule_lag_seconds_bucket"} <= used
