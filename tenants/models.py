import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

slug_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{1,40}$",
    _("Use 2 to 41 lower-case letters, digits or hyphens, starting with a letter."),
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


class ClientQuerySet(models.QuerySet):
    def clients(self) -> "ClientQuerySet":
        """Every client; the public schema is a tenant row too in django-tenants, but no client."""
        return self.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)


class Client(TenantMixin):
    """A customer of the platform: its own PostgreSQL schema, its own domain, its own users."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.CharField(_("slug"), max_length=41, unique=True, validators=[slug_validator])
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.DEFAULT_CLIENT_TIME_ZONE,
        validators=[validate_time_zone],
    )
    active = models.BooleanField(_("active"), default=True)
    # Net-metering bill estimate of the monthly report; left empty, the report shows energy only.
    tariff_per_kwh = models.DecimalField(
        _("tariff per kWh (R$)"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Energy tariff with taxes, per kWh consumed."),
    )
    fio_b_share = models.DecimalField(
        _("Fio B share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "Share of the tariff still paid on each compensated kWh under Lei 14.300 (the Fio B transition)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = True

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def schema_for_slug(slug: str) -> str:
        return "client_" + slug.replace("-", "_")

    @property
    def is_platform(self) -> bool:
        return self.schema_name == settings.PUBLIC_SCHEMA_NAME

    @property
    def portal_domain(self) -> str:
        return f"{self.slug}.{settings.PLATFORM_DOMAIN}"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class User(AbstractUser):
    """Platform staff have no client; everyone else belongs to exactly one client."""

    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="users",
    )

    def clean(self) -> None:
        super().clean()
        if self.client_id is None and not self.is_staff:
            raise ValidationError({"client": _("A user who is not platform staff must belong to a client.")})

    @property
    def is_platform_staff(self) -> bool:
        return self.is_active and self.is_staff and self.client_id is None

    def can_reach(self, tenant) -> bool:
        """Platform staff reach every domain; a client's user reaches only that client's domain, and only
        while the client is active (`tenant` is the domain's client, as loaded for this request)."""
        if self.is_platform_staff:
            return True
        if self.client_id is None or tenant is None:
            return False
        return self.client_id == tenant.pk and tenant.active


class PublicLink(models.Model):
    """A read-only view of a client's energy for anyone holding its URL (`/p/<token>/` on the client's
    domain). The token is shown once, when the link is made; only its SHA-256 is kept. Revoking deletes the
    link, so its URL answers 404 from then on."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="public_links"
    )
    name = models.CharField(_("name"), max_length=120)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public link")
        verbose_name_plural = _("public links")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
