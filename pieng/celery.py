import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")

app = CeleryApp("pieng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
