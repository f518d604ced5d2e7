"""Version 1 of a meeting's minutes, prepared from its agenda: the opening (Kata Pembukaan),
one section per agenda item with its speakers and moderator, the closing."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.audit import record
from meetings.models import AgendaRole, Meeting, MeetingDay

from ..models import Minutes, Revision, Section
from .revisions import save_revision


def role_snapshot(agenda_role: AgendaRole) -> dict:
    person = agenda_role.person
    return {
        "role": agenda_role.role,
        "person_id": person.pk,
        "name": person.full_name,
        "position": person.position,
        "organization": person.organization.name if person.organization_id else "",
    }


def _sections(minutes: Minutes, meeting: Meeting) -> list[Section]:
    days = list(
        MeetingDay.objects.filter(meeting=meeting)
        .order_by("date")
        .prefetch_related("items__roles__person__organization")
    )
    first_day = days[0] if days else None
    last_day = days[-1] if days else None
    with override(meeting_language(meeting)):
        opening, closing = _("Opening remarks"), _("Closing")
    sections = [
        Section(
            minutes=minutes,
            kind=Section.Kind.OPENING,
            day=first_day,
            title=opening,
            starts_at=first_day.starts_at() if first_day else None,
        )
    ]
    for day in days:
        for item in day.items.all():
            sections.append(
                Section(
                    minutes=minutes,
                    kind=Section.Kind.ITEM,
                    agenda_item=item,
                    day=day,
                    title=item.title,
                    starts_at=datetime.combine(day.date, item.start_time, tzinfo=meeting.tz),
                    ends_at=datetime.combine(day.date, item.end_time, tzinfo=meeting.tz),
                    roles=[role_snapshot(role) for role in item.roles.all()],
                )
            )
    sections.append(
        Section(
            minutes=minutes,
            kind=Section.Kind.CLOSING,
            day=last_day,
            title=closing,
            ends_at=last_day.ends_at() if last_day else None,
        )
    )
    for order, section in enumerate(sections):
        section.order = order
    return sections


def meeting_language(meeting: Meeting) -> str:
    """Section titles are written in Indonesian: the official record's language."""
    return "id"


def prepare_minutes(meeting: Meeting, *, author) -> Minutes:
    """The open version of the meeting's minutes, prepared from the agenda the first time."""
    with transaction.atomic():
        meeting = Meeting.objects.lock(meeting.pk)
        existing = Minutes.objects.filter(meeting=meeting).order_by("-version").first()
        if existing is not None:
            return existing
        minutes = Minutes.objects.create(
            meeting=meeting,
            created_by=author if getattr(author, "is_authenticated", False) else None,
            recorder_name=getattr(author, "full_name", "") or "",
            signed_place=meeting.venue_name[:100] if meeting.venue_name else "",
        )
        Section.objects.bulk_create(_sections(minutes, meeting))
        save_revision(minutes, author=author, change=Revision.Change.CREATED)
        record(minutes, "minutes.prepared", author, version=minutes.version)
        return minutes
