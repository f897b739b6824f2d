"""Logins for the API: JWT pairs bound to the domain's rule."""

from rest_framework import serializers, status
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenObtainSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenViewBase

from pieng.api.throttles import TokenThrottle
from tenants.current import request_client
from tenants.models import User

NO_ACCOUNT = "No active account found with the given credentials"


def _account_refuse() -> AuthenticationFailed:
    # The same answer as a wrong password: a domain does not reveal who has an account elsewhere.
    return AuthenticationFailed(NO_ACCOUNT, "no_active_account")


class LoginLockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed sign-ins for this user name or from this address; try again later."
    default_code = "login_locked_out"


class DomainTokenObtainSerializer(TokenObtainSerializer):
    token_class = RefreshToken
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)

    def validate(self, attrs: dict) -> dict:
        try:
            super().validate(attrs)
        except AuthenticationFailed:
            # django-axes marks the request when the user name or the address is locked out.
            if getattr(self.context["request"], "axes_locked_out", False):
                raise LoginLockedOut() from None
            raise
        if not self.user.can_reach(request_client(self.context["request"])):
            raise _account_refuse()
        refresh = self.get_token(self.user)
        return {"access": str(refresh.access_token), "refresh": str(refresh)}


class DomainTokenRefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(write_only=True)
    access = serializers.CharField(read_only=True)

    def validate(self, attrs: dict) -> dict:
        refresh = RefreshToken(attrs["refresh"])
        user = User.objects.filter(pk=refresh.payload.get(jwt_settings.USER_ID_CLAIM)).first()
        if (
            user is None
            or not jwt_settings.USER_AUTHENTICATION_RULE(user)
            or not user.can_reach(request_client(self.context["request"]))
        ):
            raise _account_refuse()
        return {"access": str(refresh.access_token)}


class TokenView(TokenViewBase):
    """Exchange a username and password for a JWT pair, on a domain the account may use."""

    serializer_class = DomainTokenObtainSerializer
    throttle_classes = [TokenThrottle]
    api_refusals = ("401", "429")


class TokenRefreshView(TokenViewBase):
    """A new access token for a refresh token, on a domain its account may use."""

    serializer_class = DomainTokenRefreshSerializer
    throttle_classes = [TokenThrottle]
    api_refusals = ("401",)
