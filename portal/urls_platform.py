"""The platform domain has no portal of its own; staff use the dashboard here (picking a client) and sign
in and out as on a client's domain."""

from django.urls import path

from pieng.health import platform_home
from portal import views
from portal.urls import sign_in_patterns

app_name = "portal"
urlpatterns = [
    path("", platform_home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    *sign_in_patterns,
]
