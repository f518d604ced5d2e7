"""The site's URLs plus one trivial view, served only by the registration benchmark's gunicorn.

The trivial view runs through the same middleware, settings and workers as the real pages, so
the benchmark can compare the registration form's throughput with the server's floor cost.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *site_urlpatterns]
