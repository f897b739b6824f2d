from django.conf import settings


def platform(request) -> dict:
    return {
        "APP_NAME": settings.APP_NAME,
        "API_PREFIX": settings.API_PREFIX,
        "client": getattr(request, "tenant", None),
    }
