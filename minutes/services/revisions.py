"""Every save of a part of the minutes is a Revision (author, time, the part's fields after it).

A form carries the revision number it was based on; `check_base` refuses a save when the part
has a newer one (another secretary saved in between) with a `Conflict` that carries both
versions, so the page can show them side by side and nothing is lost.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.db import models
from django.utils.translation import gettext as _

from ..models import ActionItem, Minutes, Point, Recommendation, Revision, Section

KINDS: dict[type[models.Model], str] = {
    Minutes: Revision.Kind.HEADING,
    Section: Revision.Kind.SECTION,
    Point: Revision.Kind.POINT,
    Recommendation: Revision.Kind.RECOMMENDATION,
    ActionItem: Revision.Kind.ACTION,
}
# Fields kept in a revision, per part (what a secretary edits).
FIELDS: dict[str, tuple[str, ...]] = {
    Revision.Kind.HEADING: (
        "invitation_reference",
        "chair_name",
        "secretary_name",
        "recorder_name",
        "signed_by",
        "signer_name",
        "signer_position",
        "signer_nip",
        "signed_place",
        "signed_on",
    ),
    Revision.Kind.SECTION: ("title", "summary", "conclusions"),
    Revision.Kind.POINT: (
        "speaker_name",
        "speaker_affiliation",
        "person_id",
        "registration_id",
        "text",
        "source",
        "quotable",
    ),
    Revision.Kind.RECOMMENDATION: (
        "text",
        "rationale",
        "instrument",
        "priority",
        "section_id",
        "proposed_by_person_id",
        "proposed_by_organization_id",
        "addressed_to",
        "themes",
    ),
    Revision.Kind.ACTION: (
        "text",
        "owner_person_id",
        "owner_organization_id",
        "due_on",
        "state",
        "section_id",
    ),
}


class Conflict(Exception):
    """A save based on revision `base` of a part that is now at `current.number`."""

    def __init__(self, obj: models.Model, base: int, current: Revision | None, mine: dict):
        self.obj = obj
        self.base = base
        self.current = current
        self.mine = mine
        super().__init__(
            _(
                "Someone else saved this part in the meantime (revision %(theirs)s). Both versions are shown: nothing was lost."
            )
            % {"theirs": current.number if current else obj.revision}
        )


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def minutes_of(obj: models.Model) -> Minutes:
    if isinstance(obj, Minutes):
        return obj
    if isinstance(obj, Point):
        return obj.section.minutes
    return obj.minutes


def snapshot(obj: models.Model) -> dict:
    data = {}
    for name in FIELDS[KINDS[type(obj)]]:
        if name in ("addressed_to", "themes"):
            data[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        else:
            data[name] = _plain(getattr(obj, name))
    return data


def latest(obj: models.Model) -> Revision | None:
    return (
        Revision.objects.filter(minutes=minutes_of(obj), kind=KINDS[type(obj)], object_id=obj.pk)
        .order_by("-number")
        .select_related("author")
        .first()
    )


def check_base(obj: models.Model, base: int | None, mine: dict) -> None:
    """Raise Conflict when `obj` (freshly read under the meeting's lock) is past `base`."""
    if base is not None and obj.revision != base:
        raise Conflict(obj, base, latest(obj), mine)


def save_revision(obj: models.Model, *, author, change: str = Revision.Change.CHANGED) -> Revision:
    """Record the part as it is now as its next revision; bumps and saves `obj.revision`."""
    kind = KINDS[type(obj)]
    obj.revision += 1
    type(obj).objects.filter(pk=obj.pk).update(revision=obj.revision)
    user = author if getattr(author, "is_authenticated", False) else None
    return Revision.objects.create(
        minutes=minutes_of(obj),
        kind=kind,
        object_id=obj.pk,
        number=obj.revision,
        change=change,
        author=user,
        data=snapshot(obj),
    )
