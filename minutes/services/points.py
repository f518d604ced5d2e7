"""What was said in a section: who (a person of the directory, a registered participant, or a
name) and what."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from directory.models import Person
from meetings.models import Meeting
from participants.models import Registration

from .. import richtext
from ..models import Minutes, Point, Revision, Section
from .revisions import save_revision


def _check_open(minutes: Minutes) -> None:
    if minutes.state != Minutes.State.DRAFT:
        raise ValidationError(_("These minutes are not a draft any more: they cannot be changed."))


def speaker_fields(person: Person | None, registration: Registration | None, name: str) -> dict:
    """The speaker's name and affiliation as the minutes show them."""
    if person is not None:
        affiliation = ", ".join(
            part
            for part in (person.position, person.organization.name if person.organization_id else "")
            if part
        )
        return {"speaker_name": person.full_name, "speaker_affiliation": affiliation[:400]}
    if registration is not None:
        org = (
            registration.organization.name if registration.organization_id else registration.organization_name
        )
        affiliation = ", ".join(part for part in (registration.position, org) if part)
        return {"speaker_name": registration.full_name, "speaker_affiliation": affiliation[:400]}
    return {"speaker_name": richtext.clean(name)[:300], "speaker_affiliation": ""}


def add_point(
    section: Section,
    *,
    author,
    text: str,
    person: Person | None = None,
    registration: Registration | None = None,
    speaker_name: str = "",
    source: str = Point.Source.MANUAL,
    quotable: bool = False,
) -> Point:
    """A new point at the end of the section, saved as its first revision."""
    text = richtext.clean(text)
    if not text:
        raise ValidationError(_("Write what was said."))
    with transaction.atomic():
        Meeting.objects.lock(section.minutes.meeting_id)
        minutes = Minutes.objects.get(pk=section.minutes_id)
        _check_open(minutes)
        if registration is not None and registration.meeting_id != minutes.meeting_id:
            raise ValidationError(_("This participant is not registered for this meeting."))
        last = section.points.aggregate(last=Max("order"))["last"]
        point = Point.objects.create(
            section=section,
            person=person,
            registration=registration,
            text=text,
            source=source,
            quotable=quotable,
            order=0 if last is None else last + 1,
            **speaker_fields(person, registration, speaker_name),
        )
        save_revision(point, author=author, change=Revision.Change.CREATED)
        return point
