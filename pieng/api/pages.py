"""HTML pages under the API prefix (the docs, the dashboard): for signed-in browsers of the domain."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from tenants.current import request_client


def login_url(request) -> str:
    """A client's domain signs in at its portal; the platform domain at the back-office."""
    return reverse("platform_admin:login") if request_client(request) is None else reverse("portal:login")


def page_login_required(view):
    """Anonymous browsers go to the domain's sign-in page (those of another domain are anonymous here)."""

    @wraps(view)
    def page(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url(request))
        return view(request, *args, **kwargs)

    return page
