import gc
import os

from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    task_postrun,
    task_prerun,
    worker_init,
    worker_process_init,
    worker_ready,
)
from django.conf import settings
from django.db import close_old_connections
from tenant_schemas_celery.app import CeleryApp, restore_schema

from pieng.logs import celery_log_format

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


@worker_ready.connect
def _collectors_serve(sender, **kwargs) -> None:
    """A worker started with `-Q collector.<name>` tells the platform that collector is alive."""
    from meters.polling.collectors import worker_collectors_start

    worker_collectors_start(queues=list(sender.app.amqp.queues.consume_from or ()))


@worker_init.connect
def search_path_once(**kwargs) -> None:
    """django-tenants sends `SET search_path` before every statement unless told to send it only when the
    schema changes: four round trips a poll. A worker's tasks start outside any transaction, so the first
    statement after a schema switch (which sets it) is never undone by a rolled-back savepoint, the one
    case this saving would get wrong; web requests keep the default."""
    settings.TENANT_LIMIT_SET_CALLS = True
    # tenant-schemas-celery switches back to the public schema after each task, so the next poll of the
    # same client switches again and sends `SET search_path` again. Each task sets its own schema before
    # it runs (public for a task without one), so switching back after it is work for nothing.
    task_postrun.disconnect(restore_schema, dispatch_uid="tenant_schemas_restore_schema")


@worker_ready.connect
@worker_process_init.connect
def _loaded_objects_freeze(**kwargs) -> None:
    """As in the web process (pieng/wsgi.py): what is loaded by now lives as long as the worker, and is
    kept out of the collector's full passes, which the outbox's large batches would otherwise trigger.
    Ready: the worker's own process (the threads pool); process init: each child of a prefork pool."""
    gc.freeze()


after_setup_logger.connect(celery_log_format, weak=False)
after_setup_task_logger.connect(celery_log_format, weak=False)
