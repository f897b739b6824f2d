from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views
from portal.forms import ClientAuthenticationForm

app_name = "portal"
sign_in_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="portal/login.html", authentication_form=ClientAuthenticationForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    *sign_in_patterns,
]
