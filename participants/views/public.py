"""Public registration (no account needed) and the person's private registration page."""

from django.urls import path
from django.views import View


class RegistrationFormView(View):
    """Placeholder (being built)."""


class RegistrationSentView(View):
    """Placeholder (being built)."""


class RegistrationManageView(View):
    """Placeholder (being built)."""


urlpatterns = [
    path("m/<str:code>/register/", RegistrationFormView.as_view(), name="register"),
    path("m/<str:code>/register/sent/", RegistrationSentView.as_view(), name="register_sent"),
    path("r/<str:code>/<str:token>/", RegistrationManageView.as_view(), name="registration_manage"),
]
