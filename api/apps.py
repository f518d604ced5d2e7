"""The read-only API (/api/v1/): meetings, days, agenda, public registration counts and
recommendations with their follow-up state, for holders of a personal token."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # The audit log's sentences and the OpenAPI description of the token scheme.
        from . import audit_sentences, schema  # noqa: F401
