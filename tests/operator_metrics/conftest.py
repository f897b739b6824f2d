import pytest
from django.test import override_settings

from meters.readings import layouts
from tests.helpers.metrics import METRICS_TOKEN


@pytest.fixture
def metrics_token():
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        yield METRICS_TOKEN


@pytest.fixture
def commits_run(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the metrics count there) inside the test's transaction. The ingest
    path also remembers layout ids on commit, ids this transaction's rollback takes away: forget them."""
    remembered = dict(layouts._layout_ids)
    yield django_capture_on_commit_callbacks
    layouts._layout_ids.clear()
    layouts._layout_ids.update(remembered)


@pytest.fixture
def eager_tasks_in_the_test_transaction():
    """A worker closes its database connection around each task (pieng.celery); a task run eagerly in a
    test would close the test's transaction with it."""
    from celery.signals import task_postrun, task_prerun

    from pieng.celery import _connections_recycle

    task_prerun.disconnect(_connections_recycle)
    task_postrun.disconnect(_connections_recycle)
    yield
    task_prerun.connect(_connections_recycle)
    task_postrun.connect(_connections_recycle)
