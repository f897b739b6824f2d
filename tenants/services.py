import hashlib
import secrets

from django.conf import settings
from django.db import transaction

from tenants.models import Client, Domain, PublicLink, User


@transaction.atomic
def client_create(*, name: str, slug: str, time_zone: str | None = None, active: bool = True) -> Client:
    """Create a client with its schema (migrated) and its portal domain `<slug>.<platform domain>`."""
    client = Client(
        name=name,
        slug=slug,
        schema_name=Client.schema_for_slug(slug),
        time_zone=time_zone or settings.DEFAULT_CLIENT_TIME_ZONE,
        active=active,
    )
    client.full_clean()
    client.save()
    Domain.objects.create(domain=client.portal_domain, tenant=client, is_primary=True)
    return client


def platform_tenant_ensure() -> Client:
    """The public schema is a tenant too in django-tenants: it answers on the platform domain."""
    platform, _ = Client.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "Platform", "slug": "platform"}
    )
    Domain.objects.get_or_create(
        domain=settings.PLATFORM_DOMAIN, defaults={"tenant": platform, "is_primary": True}
    )
    return platform


def user_create(*, username: str, password: str, client: Client | None = None, **fields) -> User:
    user = User(username=username, client=client, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def public_link_token_hash(token: str) -> str:
    # A random 32-byte token needs no slow hash: there is no password to guess.
    return hashlib.sha256(token.encode()).hexdigest()


def public_link_create(
    *, client: Client, name: str, created_by: User | None = None
) -> tuple[PublicLink, str]:
    """The link and its token, which is not kept and cannot be shown again."""
    token = secrets.token_urlsafe(32)
    link = PublicLink(
        client=client, name=name, token_hash=public_link_token_hash(token), created_by=created_by
    )
    link.full_clean()
    link.save()
    return link, token


def public_link_revoke(*, link: PublicLink) -> None:
    link.delete()
