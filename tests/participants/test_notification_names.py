"""Emails already in the outbox name their builder by dotted path: the renamed notify_* functions kept them."""

import pytest
from django.utils.module_loading import import_string

from core.models import OutgoingEmail
from participants import notifications
from participants.services import invitations as inv
from participants.services import registration as reg

pytestmark = pytest.mark.django_db

# Every builder path the participants app has ever stored (OutgoingEmail.builder).
STORED_BUILDERS = [
    "participants.notifications.registration_message",
    "participants.notifications.schedule_changed_message",
    "participants.notifications.meeting_cancelled_message",
    "participants.notifications.invitation_message",
    "participants.notifications.nomination_request_message",
    "participants.notifications.reminder_message",
    "participants.notifications.announcement_message",
]
# Where the reminder and announcement builders were before they moved to notifications.
MOVED_BUILDERS = {
    "participants.services.reminders.reminder_message": notifications.reminder_message,
    "participants.services.announcements.announcement_message": notifications.announcement_message,
}


def test_every_stored_builder_path_still_imports():
    assert all(callable(import_string(path)) for path in STORED_BUILDERS)
    assert {path: import_string(path) for path in MOVED_BUILDERS} == MOVED_BUILDERS


def test_notify_functions_queue_emails_under_the_stored_builder_paths(published_meeting, organizer, kemlu):
    registration = reg.register(
        published_meeting, full_name="Budi Santoso", email="budi@example.test", mode="onsite", consent=True
    ).registration
    inv.invite(
        published_meeting, actor=organizer, organization=kemlu, quota=1, focal_point_email="tu@kemlu.example"
    )
    notifications.notify_new_link(registration)
    assert list(OutgoingEmail.objects.order_by("pk").values_list("builder", "to")) == [
        ("participants.notifications.registration_message", ["budi@example.test"]),
        ("participants.notifications.invitation_message", ["tu@kemlu.example"]),
        ("participants.notifications.registration_message", ["budi@example.test"]),
    ]
