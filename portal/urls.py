from django.contrib.auth import views as auth_views
from django.urls import path

from portal import public, views
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
# `id` is the converter the API's URL conf registers (ids that fit a bigint; longer ones are a 404).
urlpatterns = [
    path("", views.overview, name="home"),
    path("devices/<id:pk>/", views.device_detail, name="device"),
    path("alarms/", views.alarms, name="alarms"),
    path("alarms/rules/new/", views.alarm_rule_form, name="alarm-rule-new"),
    path("alarms/rules/<id:pk>/", views.alarm_rule_form, name="alarm-rule"),
    path("alarms/rules/<id:pk>/toggle/", views.alarm_rule_toggle, name="alarm-rule-toggle"),
    path("alarms/rules/<id:pk>/delete/", views.alarm_rule_remove, name="alarm-rule-delete"),
    path("reports/", views.report_current, name="reports"),
    path("reports/<str:month>/", views.report, name="report"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("p/<str:token>/", public.PublicPageView.as_view(), name="public"),
    path("p/<str:token>/data", public.PublicDataView.as_view(), name="public-data"),
    *sign_in_patterns,
]
