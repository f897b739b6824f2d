"""Schemathesis drives every operation of the OpenAPI document through the WSGI application, as acme's
user on acme's domain, with generated valid and invalid input: no response may be a 500 or stray from the
schema."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from pieng.wsgi import application
from tests.api.test_device_read import tcp_device
from tests.helpers.api import ACME, bearer

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def in_process_wsgi():
    """The requests run inside the test's transaction: keep Django from closing the connection after each,
    as its own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_headers(acme) -> dict:
    return {"Host": ACME, "Authorization": bearer("acme-user")}


def openapi_document() -> dict:
    """The document /api/schema serves, generated without a request: tests are collected before any
    database exists."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = application


@pytest.fixture
def api_data(acme, acme_device, closed_port):
    # A device whose meter refuses connections: reading it is a quick 502, not a wait.
    tcp_device(acme, port=closed_port, timeout=0.2)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    derandomize=True,
)
def test_the_api_conforms_to_its_schema_and_never_fails(case, in_process_wsgi, api_headers, api_data):
    # Every check but "schema-valid input is accepted": some rules are not expressible in OpenAPI (a config
    # that fits its device type and driver, start before end) and the contract (docs/api-contract.md) makes
    # an ingested reading for an unknown device a 400; such input is refused on purpose.
    case.call_and_validate(headers=api_headers, excluded_checks=[positive_data_acceptance])
