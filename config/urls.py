"""Root URL configuration."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, views

# The admin's own login form knows neither two-factor authentication nor allauth's lockout:
# /admin/login/ sends the person to allauth's login (and back), and refuses signed-in non-staff.
admin.site.login = secure_admin_login(admin.site.login)

handler500 = "config.errors.server_error"

urlpatterns = [
    # For the load balancer: liveness and readiness (config.health); no login, no session.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("directory.urls")),
    path("", include("meetings.urls")),
    path("", include("participants.urls")),
    path("", include("materials.urls")),
    path("", include("minutes.urls")),
    path("", include("policy.urls")),
    path("api/", include("api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
