"""Changes to the minutes' parts: the heading, a section, a point (edit, delete, move).

Each save takes the revision number the form was based on (`base`; None skips the check): a save
over a newer revision raises `revisions.Conflict` and changes nothing; a save that changes no
field makes no revision and never conflicts. Only a draft version changes.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from directory.models import Person
from meetings.models import Meeting
from participants.models import Registration

from .. import richtext
from ..models import Minutes, Point, Revision, Section
from .points import _check_open, speaker_fields
from .revisions import check_base, save_revision, snapshot

HEADING_TEXT_FIELDS = {
    "invitation_reference": 300,
    "chair_name": 200,
    "secretary_name": 200,
    "recorder_name": 200,
    "signer_name": 200,
    "signer_position": 300,
    "signer_nip": 30,
    "signed_place": 100,
}


def open_minutes(minutes_id: int, meeting_id: int) -> Minutes:
    """The version, read again under the meeting's lock; refused unless it is a draft."""
    Meeting.objects.lock(meeting_id)
    minutes = Minutes.objects.get(pk=minutes_id)
    _check_open(minutes)
    return minutes


def apply(obj: models.Model, changes: dict, *, author, base: int | None) -> bool:
    """Set `changes` on `obj` (freshly read under the lock) and save it as a revision.

    Returns False (nothing saved) when no field changes; raises Conflict when `base` is stale.
    """
    current = snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    mine = snapshot(obj)
    if mine == current:
        return False
    check_base(obj, base, mine)
    obj.save(update_fields=list(changes))
    save_revision(obj, author=author)
    return True


def _text(value: str, limit: int, label: str) -> str:
    value = richtext.clean(value).replace("\n", " ")
    if len(value) > limit:
        raise ValidationError(
            _("%(field)s is too long (at most %(limit)d characters).") % {"field": label, "limit": limit}
        )
    return value


def update_heading(minutes: Minutes, *, author, base: int | None, **fields) -> Minutes:
    """The Notula's heading fields and signature block."""
    changes: dict = {}
    for name, value in fields.items():
        if name in HEADING_TEXT_FIELDS:
            label = str(Minutes._meta.get_field(name).verbose_name)
            changes[name] = _text(value or "", HEADING_TEXT_FIELDS[name], label)
        elif name == "signed_by":
            if value not in Minutes.Signer.values:
                raise ValidationError(_("Choose who signs the minutes."))
            changes[name] = value
        elif name == "signed_on":
            if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
                raise ValidationError(_("Enter a valid date of signing."))
            changes[name] = value
        else:
            raise ValidationError(_("Unknown field: %(name)s.") % {"name": name})
    with transaction.atomic():
        minutes = open_minutes(minutes.pk, minutes.meeting_id)
        apply(minutes, changes, author=author, base=base)
        return minutes


def update_section(
    section: Section,
    *,
    author,
    base: int | None,
    title: str | None = None,
    summary: str | None = None,
    conclusions: str | None = None,
) -> Section:
    changes: dict = {}
    if title is not None:
        title = _text(title, 300, str(Section._meta.get_field("title").verbose_name))
        if not title:
            raise ValidationError(_("A section needs a title."))
        changes["title"] = title
    if summary is not None:
        changes["summary"] = richtext.clean(summary)
    if conclusions is not None:
        changes["conclusions"] = richtext.clean(conclusions)
    with transaction.atomic():
        open_minutes(section.minutes_id, section.minutes.meeting_id)
        section = Section.objects.get(pk=section.pk)
        apply(section, changes, author=author, base=base)
        return section


def _fresh_point(point: Point) -> tuple[Point, Minutes]:
    minutes = open_minutes(point.section.minutes_id, point.section.minutes.meeting_id)
    return Point.objects.select_related("section").get(pk=point.pk), minutes


def update_point(
    point: Point,
    *,
    author,
    base: int | None,
    text: str,
    person: Person | None = None,
    registration: Registration | None = None,
    speaker_name: str = "",
    quotable: bool | None = None,
) -> Point:
    """`quotable` None leaves the mark as it is (a caller that does not show it)."""
    text = richtext.clean(text)
    if not text:
        raise ValidationError(_("Write what was said."))
    with transaction.atomic():
        point, minutes = _fresh_point(point)
        if registration is not None and registration.meeting_id != minutes.meeting_id:
            raise ValidationError(_("This participant is not registered for this meeting."))
        changes = {
            "text": text,
            "person": person,
            "registration": registration,
            **speaker_fields(person, registration, speaker_name),
        }
        if quotable is not None:
            changes["quotable"] = bool(quotable)
        apply(point, changes, author=author, base=base)
        return point


def delete_point(point: Point, *, author, base: int | None) -> None:
    with transaction.atomic():
        point, _minutes = _fresh_point(point)
        check_base(point, base, {})
        save_revision(point, author=author, change=Revision.Change.DELETED)
        point.delete()


def move_point(point: Point, *, author, direction: str) -> Point:
    """Swap the point with its neighbour above or below in the section."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a point up or down."))
    with transaction.atomic():
        point, _minutes = _fresh_point(point)
        siblings = list(Point.objects.filter(section_id=point.section_id).order_by("order", "id"))
        index = next(i for i, p in enumerate(siblings) if p.pk == point.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return point
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings):
            sibling.order = order
        Point.objects.bulk_update(siblings, ["order"])
        return next(p for p in siblings if p.pk == point.pk)
