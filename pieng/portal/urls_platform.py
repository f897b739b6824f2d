"""The platform domain has no portal, but pages shared with it (the dashboard) sign in and out here."""

from django.urls import path
from django.views.generic import RedirectView

from pieng.portal.urls import sign_in_patterns

app_name = "portal"
urlpatterns = [path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"), *sign_in_patterns]
