from rest_framework.permissions import BasePermission

from tenants.models import Client


def domain_client(request) -> Client | None:
    """The client whose domain the request came to; None on the platform domain."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_platform:
        return None
    return tenant


class ReachesDomain(BasePermission):
    """Signed in, and allowed on this domain: platform staff anywhere, a client's user on its own domain.

    Browser sessions are already held to this by ClientMembershipMiddleware; bearer tokens are only
    authenticated inside DRF, so the same rule is enforced here, on every endpoint.
    """

    message = "This account cannot use this domain."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.can_reach(domain_client(request)))


class IsPlatformStaff(BasePermission):
    message = "Only platform staff may do this."

    def has_permission(self, request, view) -> bool:
        return bool(getattr(request.user, "is_platform_staff", False))
