from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Client


class Link(models.Model):
    """A master platform allowed to forward readings here (on the slave), by the token it holds.

    Only a SHA-256 of the token is stored; the token is shown once, when the link is made. A revoked link
    stays (its mirror clients name it) but its token is refused.
    """

    name = models.CharField(_("name"), max_length=120)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_forward_at = models.DateTimeField(_("last forward at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class MirrorClient(models.Model):
    """A client created here by a link's forwards: that link (and no other live one) feeds it."""

    client = models.OneToOneField(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="mirror"
    )
    link = models.ForeignKey(Link, verbose_name=_("link"), on_delete=models.PROTECT, related_name="clients")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mirror client")
        verbose_name_plural = _("mirror clients")

    def __str__(self) -> str:
        return f"{self.client} ← {self.link}"
