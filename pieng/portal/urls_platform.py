"""The platform domain has no portal, but pages shared with it (the dashboard) sign in and out here."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from pieng.portal.forms import ClientAuthenticationForm

app_name = "portal"
urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="portal/login.html", authentication_form=ClientAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
