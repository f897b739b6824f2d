"""The client a request acts on.

On a client's domain it is that client, always. On the platform domain staff name it with `client_id`
(query string, or the JSON body as in the original device JSON) and the view runs inside that client's
schema and time zone.
"""

import zoneinfo
from contextlib import ExitStack

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.views import APIView

from pieng.api.params import ID_LIMIT
from tenants.current import request_client
from tenants.models import Client


def client_id_parse(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError({"client_id": ["Must be a whole number."]})
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({"client_id": ["Must be a whole number."]}) from None
    if not 1 <= number <= ID_LIMIT:
        raise ValidationError({"client_id": [f"Must be between 1 and {ID_LIMIT}."]})
    return number


def client_resolve(*, request_client: Client | None, client_id) -> Client:
    """`request_client` is the domain's client (None on the platform domain); `client_id` what the caller
    named, if anything. Another client than the domain's, or one that does not exist, is a 404."""
    if request_client is not None:
        if client_id is not None and client_id_parse(client_id) != request_client.pk:
            raise NotFound("No such client.")
        return request_client
    if client_id is None:
        raise ValidationError({"client_id": ["Required on the platform domain: name the client to act on."]})
    client = Client.objects.clients().filter(pk=client_id_parse(client_id)).first()
    if client is None:
        raise NotFound("No such client.")
    return client


def request_client_id(request):
    """`client_id` from the query string, else from a JSON object body."""
    if "client_id" in request.query_params:
        return request.query_params["client_id"]
    if request.method not in ("GET", "HEAD", "OPTIONS", "DELETE") and isinstance(request.data, dict):
        return request.data.get("client_id")
    return None


class ClientScopedView(APIView):
    """A view whose work happens inside one client's schema and time zone (`self.client`)."""

    client: Client

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self.client_scope:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            # A method the view does not offer is a 405 whatever the client named.
            self.http_method_not_allowed(request)
        self.client = client_resolve(
            request_client=request_client(request), client_id=request_client_id(request)
        )
        if connection.schema_name != self.client.schema_name:
            self.client_scope.enter_context(tenant_context(self.client))
        self.client_scope.enter_context(timezone.override(zoneinfo.ZoneInfo(self.client.time_zone)))
        super().check_throttles(request)

    def check_throttles(self, request) -> None:
        """Throttles count per client: they run once the client is known (end of `initial`)."""
        if hasattr(self, "client"):
            super().check_throttles(request)
