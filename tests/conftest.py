"""Personas shared by the whole suite: a client (`acme`), another client who must see nothing (`globex`),
their users, and platform staff. Client schemas are created once per test session: creating a schema
runs every tenant migration, far too slow to repeat per test.
"""

import os
import socket

import pytest
from django.core.cache import cache
from django.db import connection

from meters.readings import layouts
from tenants.models import Client
from tenants.services import client_create, platform_tenant_ensure, user_create
from tests.helpers.api import ACME, GLOBEX, PLATFORM, api_client
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS
from tests.helpers.devices import device_add
from tests.helpers.personas import PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Always the real test database, also for tests that only use committed data through a server
    (pytest-django would set up none for a session without a `db` test)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        platform_tenant_ensure()
        for slug, name in (("acme", "Acme Energia"), ("globex", "Globex Solar")):
            client = client_create(name=name, slug=slug)
            user_create(username=f"{slug}-user", password=PASSWORD, client=client, is_staff=True)
        user_create(username="staff", password=PASSWORD, is_staff=True, is_superuser=True)
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    """A test that entered a client's schema must not leave the next test there."""
    yield
    connection.set_schema_to_public()


@pytest.fixture
def commits_run(django_capture_on_commit_callbacks):
    """Run what waits for the commit inside the test's transaction; the layout ids ingest remembers on
    commit are taken away by the test's rollback: forget them after."""
    remembered = dict(layouts._layout_ids), set(layouts._device_layouts)
    yield django_capture_on_commit_callbacks
    layouts._layout_ids.clear()
    layouts._layout_ids.update(remembered[0])
    layouts._device_layouts.clear()
    layouts._device_layouts.update(remembered[1])


@pytest.fixture
def acme(db):
    return Client.objects.get(slug="acme")


@pytest.fixture
def globex(db):
    return Client.objects.get(slug="globex")


@pytest.fixture
def acme_device(acme):
    """An SDM630 of acme (not committed)."""
    return device_add(acme)


@pytest.fixture
def in_acme(acme):
    """Run the test inside acme's schema, as a request on acme's domain would."""
    connection.set_tenant(acme)
    yield acme
    connection.set_schema_to_public()


@pytest.fixture
def in_globex(globex):
    connection.set_tenant(globex)
    yield globex
    connection.set_schema_to_public()


# API clients of the personas: each client's user with a JWT on its own domain, platform staff on the
# platform domain, and nobody.


@pytest.fixture(autouse=True)
def throttle_counts_reset():
    """Each test starts with fresh throttle counts (the test settings keep them in a local-memory cache)."""
    cache.clear()


@pytest.fixture
def acme_api(acme):
    return api_client(host=ACME, username="acme-user")


@pytest.fixture
def globex_api(globex):
    return api_client(host=GLOBEX, username="globex-user")


@pytest.fixture
def staff_api(db):
    return api_client(host=PLATFORM, username="staff")


@pytest.fixture
def anonymous_api(acme):
    return api_client(host=ACME)


@pytest.fixture(scope="session")
def web_server(django_db_setup, django_db_blocker):
    """The real WSGI app on a loopback port, without pytest-django's live_server: that one flushes every
    table after each test, the session's clients included. Data a test shows through it must be committed.
    """
    import threading
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    django_application = get_wsgi_application()

    def application(environ, start_response):
        # Each request's thread closes its connection, or the test database could not be dropped.
        response = django_application(environ, start_response)
        try:
            return list(response)
        finally:
            response.close()
            connections.close_all()

    class ThreadingServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    with django_db_blocker.unblock():
        server = make_server("127.0.0.1", 0, application, ThreadingServer, QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://{{host}}:{server.server_port}"
        server.shutdown()
        # A handler thread still finishing a browser's last request may hold a connection: end it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        # Playwright's greenlet gives this thread another connection object than the one teardown uses.
        connection.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]


@pytest.fixture
def database_down(django_db_blocker, closed_port, monkeypatch):
    """The database unreachable for what the test does: the connection points at a closed port."""
    with django_db_blocker.unblock():
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", closed_port)
        yield
        connection.close()


@pytest.fixture
def silent_port():
    """A peer that accepts TCP connections (the kernel does, from the backlog) and never says a word."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as listener:
        yield listener.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; our ORM work happens in fixtures around it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A Brazilian user's browser: pt-BR, São Paulo time."""
    context = browser.new_context(locale="pt-BR", timezone_id="America/Sao_Paulo")
    yield context.new_page()
    context.close()
