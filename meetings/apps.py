"""Meetings: the meeting, its days and agenda, host agencies, speakers, venue and online room."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Registering: the audit log's sentences, and speakers' and moderators' contact visibility.
        from . import audit_sentences, contacts  # noqa: F401
