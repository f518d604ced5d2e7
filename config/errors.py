"""The 500 handler: the page is rendered from settings and translations only, never the database."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request):
    # Without the request: context processors (the user, the session) may be what failed.
    body = loader.get_template("500.html").render({"SITE_NAME": settings.SINERGI_SITE_NAME})
    return HttpResponseServerError(body)
