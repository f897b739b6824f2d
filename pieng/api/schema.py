"""OpenAPI details that every endpoint shares, so each view declares only what is its own.

- `client_id`: the query parameter of every client-scoped view (platform staff name the client with it).
- Error responses: every refusal is JSON with a `detail` (field errors name their fields instead), and
  each operation lists the refusals it can give: 400 where it takes input, 401/403 where it needs a login,
  404 where it names an object or a client, 429 where it is throttled.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter

from pieng.api.params import ID_LIMIT
from pieng.api.tenancy import ClientScopedView

CLIENT_ID_PARAMETER = OpenApiParameter(
    "client_id",
    {"type": "integer", "format": "int64", "minimum": 1, "maximum": ID_LIMIT},
    description="Platform domain only (required there): the client to act on. On a client's domain it may "
    "only name that client.",
    required=False,
)
ERROR_SCHEMA = {
    "type": "object",
    "description": "What was wrong: `detail`, or a message list per offending field.",
    "properties": {
        "detail": {"type": "string"},
        "index": {"type": "integer", "description": "Ingestion: the refused reading's position"},
        "field": {"type": "string", "description": "Ingestion: the refused field"},
        "code": {"type": "string"},
    },
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    "400": "Bad input; the body says what was wrong",
    "401": "Not signed in, or the credentials are invalid",
    "403": "Signed in, but not allowed here",
    "404": "No such object for this client",
    "409": "The object is busy; try again",
    "429": "Too many requests; retry after the Retry-After header's seconds",
    "502": "The meter answered wrongly or refused the connection; `detail` names the cause",
    "503": "A shared resource (the device's bus) stayed busy; try again",
    "504": "The meter did not answer within its timeout; `detail` says so",
}


class PiengAutoSchema(AutoSchema):
    def get_override_parameters(self) -> list:
        parameters = super().get_override_parameters()
        if isinstance(self.view, ClientScopedView):
            parameters = [*parameters, CLIENT_ID_PARAMETER]
        return parameters

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(error)
        for code in self._error_codes(operation):
            operation["responses"].setdefault(
                code,
                {
                    "content": {"application/json": {"schema": error.ref}},
                    "description": ERROR_DESCRIPTIONS[code],
                },
            )
        return operation

    def _error_codes(self, operation: dict) -> list[str]:
        parameters = operation.get("parameters", [])
        codes = []
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if self.view.permission_classes:
            codes += ["401", "403"]
        if isinstance(self.view, ClientScopedView) or any(p["in"] == "path" for p in parameters):
            codes.append("404")
        if self.view.throttle_classes:
            codes.append("429")
        # Refusals a view gives beyond these (e.g. a meter that does not answer), declared on the view.
        return codes + [code for code in getattr(self.view, "api_refusals", ()) if code not in codes]
