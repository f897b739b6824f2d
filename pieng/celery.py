import os

from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")

app = CeleryApp("pieng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _connections_recycle(**kwargs) -> None:
    # As around a web request: a connection past CONN_MAX_AGE, or broken (the database restarted), is
    # closed and the next query opens a new one; the others are kept for the next task.
    close_old_connections()
