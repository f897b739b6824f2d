from django.conf import settings


def platform(request) -> dict:
    return {"APP_NAME": settings.APP_NAME, "client": getattr(request, "tenant", None)}
