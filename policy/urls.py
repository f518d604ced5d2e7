"""Every URL of the policy app (included at the site root by config/urls.py)."""

from django.urls import path

from .views import registry

app_name = "policy"

urlpatterns = [
    path("recommendations/", registry.RegistryView.as_view(), name="registry"),
]
