"""Who may do what with a meeting's minutes; views and services ask these, templates never decide.

- The meeting's secretaries and organizers (and site administrators) edit an open version,
  import transcripts and export any version, drafts included.
- Only an organizer (the chair) approves, returns, corrects and publishes.
- Everyone else sees only an approved version the organizer published: confirmed participants
  when published to participants (through their private page), anybody when published to the
  public page. Nobody else learns the minutes exist (404).
"""

from __future__ import annotations

from meetings.models import Meeting
from meetings.permissions import is_meeting_staff, is_organizer
from participants.models import Registration

from .models import Minutes


def can_edit(user, minutes: Minutes) -> bool:
    """Secretaries and organizers of the meeting change an open (draft) version."""
    return minutes.state == Minutes.State.DRAFT and is_meeting_staff(user, minutes.meeting)


def can_approve(user, minutes: Minutes) -> bool:
    return minutes.state == Minutes.State.SUBMITTED and is_organizer(user, minutes.meeting)


def can_manage(user, meeting: Meeting) -> bool:
    """Approve, return, correct, publish: the organizers (the chair)."""
    return is_organizer(user, meeting)


def is_staff_of(user, meeting: Meeting) -> bool:
    return is_meeting_staff(user, meeting)


def published_version(meeting: Meeting) -> Minutes | None:
    """The approved version published beyond the staff, if any (the latest approved one)."""
    return (
        Minutes.objects.filter(meeting=meeting, state=Minutes.State.APPROVED)
        .exclude(audience=Minutes.Audience.STAFF)
        .order_by("-version")
        .first()
    )


def readable_by_participant(minutes: Minutes, registration: Registration) -> bool:
    """A confirmed participant of the meeting reads minutes published to participants or the public."""
    return (
        minutes.state == Minutes.State.APPROVED
        and minutes.audience in (Minutes.Audience.PARTICIPANTS, Minutes.Audience.PUBLIC)
        and registration.meeting_id == minutes.meeting_id
        and registration.state == Registration.State.CONFIRMED
    )


def readable_by_public(minutes: Minutes) -> bool:
    return minutes.state == Minutes.State.APPROVED and minutes.audience == Minutes.Audience.PUBLIC
