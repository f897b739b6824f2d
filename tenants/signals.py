"""Each client's schema keeps its own admin log (django.contrib.admin is a tenant app too), whose rows
point at users in the public schema. Django cascades a user's deletion to the log of the current schema
only, so the rows in client schemas are removed here, or the database would refuse the deletion."""

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db.models.signals import pre_delete
from django_tenants.utils import schema_context, schema_exists

from tenants.models import Client, User


def user_admin_log_remove(sender, instance: User, **kwargs) -> None:
    clients = Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
    if instance.client_id is not None:
        # A client's user only ever reaches that client's admin.
        clients = clients.filter(pk=instance.client_id)
    for schema in clients.values_list("schema_name", flat=True):
        if schema_exists(schema):  # a client being deleted has dropped its schema already
            with schema_context(schema):
                LogEntry.objects.filter(user_id=instance.pk).delete()


def tenants_connect() -> None:
    pre_delete.connect(user_admin_log_remove, sender=User, dispatch_uid="tenants.user_admin_log_remove")
