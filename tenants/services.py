from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from pieng.api.tokens import secret_token_make
from pieng.checks import DEVELOPMENT_PASSWORDS
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


class BootstrapRefused(ValueError):
    """The first administrator cannot be created from these settings."""


@dataclass(frozen=True)
class BootstrapResult:
    platform_created: bool
    domain_created: bool
    admin_created: bool

    @property
    def changed(self) -> bool:
        return self.platform_created or self.domain_created or self.admin_created


@transaction.atomic
def platform_bootstrap(*, admin_username: str, admin_email: str, admin_password: str) -> BootstrapResult:
    """What a new installation needs before its first request: the platform tenant on PLATFORM_DOMAIN and
    a first superuser. Idempotent: an existing user of that name is left as it is (its password too)."""
    platform_existed = Client.objects.filter(schema_name=settings.PUBLIC_SCHEMA_NAME).exists()
    domain_existed = Domain.objects.filter(domain=settings.PLATFORM_DOMAIN).exists()
    platform_tenant_ensure()
    admin_created = False
    if not User.objects.filter(username=admin_username).exists():
        _admin_password_validate(username=admin_username, password=admin_password)
        user_create(
            username=admin_username,
            email=admin_email,
            password=admin_password,
            is_staff=True,
            is_superuser=True,
        )
        admin_created = True
    return BootstrapResult(
        platform_created=not platform_existed, domain_created=not domain_existed, admin_created=admin_created
    )


def _admin_password_validate(*, username: str, password: str) -> None:
    if not password:
        raise BootstrapRefused("PIENG_ADMIN_PASSWORD is empty: set it to create the first administrator.")
    if password in DEVELOPMENT_PASSWORDS and not settings.DEBUG:
        raise BootstrapRefused(
            "PIENG_ADMIN_PASSWORD is a development default; choose another (DEBUG is off)."
        )
    try:
        validate_password(password, user=User(username=username))
    except ValidationError as error:
        raise BootstrapRefused("PIENG_ADMIN_PASSWORD: " + " ".join(error.messages)) from error


def user_create(*, username: str, password: str, client: Client | None = None, **fields) -> User:
    user = User(username=username, client=client, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def public_link_create(
    *, client: Client, name: str, created_by: User | None = None
) -> tuple[PublicLink, str]:
    """The link and its token, which is not kept and cannot be shown again."""
    # No prefix: the token travels in a URL path, not in an Authorization header.
    token, token_hash = secret_token_make(prefix="")
    link = PublicLink(client=client, name=name, token_hash=token_hash, created_by=created_by)
    link.full_clean()
    link.save()
    return link, token


def public_link_revoke(*, link: PublicLink) -> None:
    link.delete()
