"""The demo data `make run` creates once: the platform admin, the `demo` client, its user and its meters
(simulated by `manage.py demo_simulators`; see meters.demo)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from meters.demo import demo_devices_seed
from tenants.models import Client, User
from tenants.services import client_create, platform_tenant_ensure, user_create

DEMO_SLUG = "demo"


def demo_seed() -> Client:
    if not settings.PIENG_ADMIN_PASSWORD or not settings.PIENG_DEMO_PASSWORD:
        raise ImproperlyConfigured(
            "Set PIENG_ADMIN_PASSWORD and PIENG_DEMO_PASSWORD (or DEBUG=true) for the demo."
        )
    platform_tenant_ensure()
    if not User.objects.filter(username="admin").exists():
        user_create(
            username="admin", password=settings.PIENG_ADMIN_PASSWORD, is_staff=True, is_superuser=True
        )
    client = Client.objects.filter(slug=DEMO_SLUG).first() or client_create(name="Demo", slug=DEMO_SLUG)
    if not User.objects.filter(username="demo").exists():
        user_create(username="demo", password=settings.PIENG_DEMO_PASSWORD, client=client, is_staff=True)
    demo_devices_seed(client=client)
    return client
