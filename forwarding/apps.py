from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForwardingConfig(AppConfig):
    name = "forwarding"
    verbose_name = _("Forwarding")

    def ready(self) -> None:
        from forwarding.delivery import forwarding_connect

        forwarding_connect()
