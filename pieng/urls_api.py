from django.urls import path

from pieng.health import health

urlpatterns = [
    path("health", health, name="health"),
]
