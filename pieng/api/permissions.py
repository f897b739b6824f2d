from rest_framework.permissions import BasePermission

from tenants.current import request_client


class ReachesDomain(BasePermission):
    """Signed in, and allowed on this domain: platform staff anywhere, a client's user on its own domain.

    Browser sessions are already held to this by ClientMembershipMiddleware; bearer tokens are only
    authenticated inside DRF, so the same rule is enforced here, on every endpoint.
    """

    message = "This account cannot use this domain."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.can_reach(request_client(request)))


class IsPlatformStaff(BasePermission):
    message = "Only platform staff may do this."

    def has_permission(self, request, view) -> bool:
        return bool(getattr(request.user, "is_platform_staff", False))


class IsStaff(BasePermission):
    """The client's staff on its domain (ReachesDomain holds them there), or platform staff."""

    message = "Only the client's staff may do this."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_active and request.user.is_staff)
