from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.current import request_client


class ClientAuthenticationForm(AuthenticationForm):
    """Refuses, at the door, a user of another client: their password is right, but not here."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.can_reach(request_client(self.request)):
            raise ValidationError(_("This account does not belong to this client."), code="wrong_client")
