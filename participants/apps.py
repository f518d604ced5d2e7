"""Participants: agency invitations, registrations, check-in and attendance, reminders, feeds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from meetings.models import DayUrls, MeetingUrls

        # Registering: the audit log's sentences, contact visibility, the meeting counts.
        from . import audit_sentences, contacts, counts, receivers  # noqa: F401

        MeetingUrls.add(
            registrations="participants:registrations",
            invitations="participants:invitations",
            checkin="participants:checkin_start",
            attendance="participants:attendance_summary",
            register="participants:register",
            reminders="participants:reminders",
        )
        DayUrls.add(
            checkin="participants:checkin",
            checkin_search="participants:checkin_search",
            walk_in="participants:checkin_walk_in",
            online_attendance="participants:online_attendance",
        )
        receivers.connect()
