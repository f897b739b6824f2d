"""Which client a request or a database connection belongs to: one answer for every caller."""

from django.db import connection

from tenants.models import Client


def request_client(request) -> Client | None:
    """The client whose domain the request came to; None on the platform domain."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_platform:
        return None
    return tenant


def current_client() -> Client | None:
    """The client whose schema this connection is in; None in the public schema.

    Under django-tenants' schema_context the connection holds a stand-in tenant that knows its schema only:
    the client is then read from the database, so callers always get a real Client (name, time zone...).
    """
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Client):
        return None if tenant.is_platform else tenant
    return Client.objects.clients().filter(schema_name=connection.schema_name).first()
