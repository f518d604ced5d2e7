"""Values every template may use."""

from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SINERGI_SITE_NAME}
