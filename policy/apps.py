"""Policy: the recommendations of every meeting's minutes, followed up across meetings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("Policy")

    def ready(self):
        # The audit log's sentences register themselves on import.
        from meetings.models import SeriesUrls

        from . import audit_sentences  # noqa: F401

        SeriesUrls.add(page="policy:series")
