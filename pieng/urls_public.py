from django.conf import settings
from django.urls import include, path

from pieng.admin_sites import platform_admin

urlpatterns = [
    path("admin/", platform_admin.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(f"{settings.API_PREFIX}/", include("pieng.urls_api")),
    path("", include("portal.urls_platform")),
]
