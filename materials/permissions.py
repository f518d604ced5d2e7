"""Who may see and manage a meeting's speakers' materials; views ask these, templates never decide.

- The meeting's organizers and secretaries (and site administrators) manage every material and
  the speakers' upload links, and download every file.
- A confirmed registrant of the meeting, through their private link, sees the materials for
  participants and the public ones.
- Everyone sees the public materials, but only once the meeting has ended (the end of its last
  day in the meeting's time zone) and the meeting is public; before that they are for the
  participants only.
- A speaker's upload link shows what was uploaded through that link, nothing else.

Whoever may not see a material gets 404, as if it did not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from meetings.models import Meeting, MeetingDay
from meetings.permissions import is_meeting_staff
from participants.models import Registration

from .models import Material, UploadLink, agenda_order

Visibility = Material.Visibility

STAFF = "staff"
PARTICIPANTS = "participants"
PUBLIC = "public"
AUDIENCES = (STAFF, PARTICIPANTS, PUBLIC)


def can_manage(user, meeting: Meeting) -> bool:
    """Organizers and secretaries of the meeting add, change and delete materials and links."""
    return is_meeting_staff(user, meeting)


def has_ended(meeting: Meeting, now=None) -> bool:
    """The meeting's last day is over, in the meeting's own time zone (a cancelled or draft
    meeting never "ends" for this purpose: nothing of it becomes public)."""
    if not meeting.is_public or meeting.status == Meeting.Status.CANCELLED:
        return False
    # The days the page prefetched already (the public page), else one query.
    days: list[MeetingDay] = list(meeting.days.all())
    if not days:
        return False
    last = max(days, key=lambda day: day.date)
    last.meeting = meeting
    return (now or timezone.now()) >= last.ends_at()


def visibilities_for(meeting: Meeting, audience: str) -> tuple[str, ...]:
    """The visibilities an audience sees of this meeting's materials."""
    if audience == STAFF:
        return tuple(Visibility.values)
    if audience == PARTICIPANTS:
        return (Visibility.PARTICIPANTS, Visibility.PUBLIC)
    if audience == PUBLIC and has_ended(meeting):
        return (Visibility.PUBLIC,)
    return ()


def visible(meeting: Meeting, audience: str) -> QuerySet[Material]:
    """The materials of the meeting this audience may see, in agenda order."""
    return (
        Material.objects.filter(meeting=meeting, visibility__in=visibilities_for(meeting, audience))
        .select_related("agenda_item__day", "upload_link")
        .order_by(*agenda_order())
    )


def is_participant(registration: Registration | None, meeting: Meeting) -> bool:
    return (
        registration is not None
        and registration.meeting_id == meeting.pk
        and registration.state == Registration.State.CONFIRMED
    )


def readable_by_participant(material: Material, registration: Registration | None) -> bool:
    return is_participant(registration, material.meeting) and material.visibility in (
        Visibility.PARTICIPANTS,
        Visibility.PUBLIC,
    )


def readable_by_public(material: Material) -> bool:
    return material.visibility == Visibility.PUBLIC and has_ended(material.meeting)


def belongs_to_link(material: Material, link: UploadLink | None) -> bool:
    """A speaker sees and deletes only what came through their own (active) link."""
    return link is not None and link.is_active and material.upload_link_id == link.pk
