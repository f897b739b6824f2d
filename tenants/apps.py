from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from tenants.signals import tenants_connect

        tenants_connect()
