from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from pieng.admin_sites import platform_admin

urlpatterns = [
    path("admin/", platform_admin.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(f"{settings.API_PREFIX}/", include("pieng.urls_api")),
    # Where the original platform had its API documentation.
    path("docs", RedirectView.as_view(url=f"/{settings.API_PREFIX}/docs", permanent=True)),
    path("", include("portal.urls_platform")),
]
