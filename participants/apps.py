"""Participants: the directory of organizations and people, hosts, speakers and moderators."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from . import audit_sentences, receivers  # noqa: F401 (audit_sentences registers sentences)
        from .services import reminders

        receivers.connect()
        reminders.connect()
