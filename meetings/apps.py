"""Meetings: the meeting, its days and agenda, venue and online room."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from . import audit_sentences  # noqa: F401 (registers the audit log's sentences)
