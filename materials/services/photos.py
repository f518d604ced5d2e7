"""Adding, changing and deleting a meeting's documentation photos (dokumentasi), and choosing the
ones that go into the activity report and the news article.

Each photo is checked by its content (core.images: JPEG, PNG or WebP, SINERGI_PHOTO_MAX_BYTES,
SINERGI_PHOTO_MAX_PIXELS) before anything is stored; its original is kept as uploaded and a web
copy is made beside it, both under random names on the private storage. A batch is all or
nothing. Every change writes the meeting's audit log; a deleted photo's files leave the storage
once the deletion has committed (materials.receivers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from core import audit
from core.images import Photo, check_photo
from core.text import clean_name
from meetings.models import Meeting, MeetingDay

from ..models import DocumentationPhoto

CAPTION_MAX = DocumentationPhoto._meta.get_field("caption").max_length
# One submission's photos are decoded one after another in the request; more wait for the next.
MAX_PER_UPLOAD = 30
EDITABLE = ("caption", "day", "order", "in_report")


@dataclass(frozen=True)
class Upload:
    """One uploaded file and its caption."""

    file: object
    caption: str = ""


def clean_caption(caption: str) -> str:
    return clean_name(caption or "")[:CAPTION_MAX]


def check(upload) -> Photo:
    """The upload as a photo, or a ValidationError in the user's language."""
    return check_photo(
        upload, max_bytes=settings.SINERGI_PHOTO_MAX_BYTES, max_pixels=settings.SINERGI_PHOTO_MAX_PIXELS
    )


def _check_day(meeting: Meeting, day: MeetingDay | None) -> None:
    if day is None or day.meeting_id != meeting.pk:
        raise ValidationError({"day": _("Choose a day of this meeting.")})


def _next_order(day: MeetingDay) -> int:
    found = DocumentationPhoto.objects.filter(day=day).aggregate(m=Max("order"))["m"]
    return 0 if found is None else found + 1


def add_photos(
    meeting: Meeting, *, day: MeetingDay, uploads: Sequence[Upload], actor
) -> list[DocumentationPhoto]:
    """Every upload checked first, then all stored, or none (ValidationError on `files`, naming
    the file that was refused). The checks decode each image outside the transaction, so no
    database lock waits on Pillow; the storing is one transaction."""
    _check_day(meeting, day)
    if not uploads:
        raise ValidationError({"files": _("Choose at least one photo.")})
    if len(uploads) > MAX_PER_UPLOAD:
        raise ValidationError(
            {"files": _("Send at most %(count)d photos at a time.") % {"count": MAX_PER_UPLOAD}}
        )
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check(upload.file)))
        except ValidationError as exc:
            name = getattr(upload.file, "name", "") or ""
            raise ValidationError(
                {"files": _("%(name)s: %(error)s") % {"name": name[-100:], "error": " ".join(exc.messages)}}
            ) from exc
    return _store(meeting, day, checked, actor)


@transaction.atomic
def _store(meeting: Meeting, day: MeetingDay, checked: list, actor) -> list[DocumentationPhoto]:
    order = _next_order(day)
    photos: list[DocumentationPhoto] = []
    try:
        for index, (upload, photo) in enumerate(checked):
            row = DocumentationPhoto(
                meeting=meeting,
                day=day,
                caption=clean_caption(upload.caption),
                display_name=photo.display_name,
                mime=photo.mime,
                size=photo.size,
                width=photo.width,
                height=photo.height,
                order=order + index,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            photos.append(row)
            upload.file.seek(0)
            row.original.save(photo.display_name, upload.file, save=False)
            row.web.save("web.jpg", ContentFile(photo.web), save=False)
            row.save()
    except BaseException:
        # The rows roll back with the transaction; the files already stored go now.
        for row in photos:
            for field in (row.original, row.web):
                if field.name:
                    field.storage.delete(field.name)
        raise
    audit.record(
        meeting,
        "materials.photos_added",
        actor,
        count=len(photos),
        day=day.date.isoformat(),
        names=[p.display_name for p in photos][:10],
    )
    return photos


@transaction.atomic
def change_photo(photo: DocumentationPhoto, *, actor, **changes) -> list[str]:
    """Change any of caption, day, order and in_report; returns the fields that changed."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "caption" in changes:
        changes["caption"] = clean_caption(changes["caption"])
    if "day" in changes:
        _check_day(photo.meeting, changes["day"])
    if "order" in changes and (not isinstance(changes["order"], int) or changes["order"] < 0):
        raise ValidationError({"order": _("Give the order as a whole number from 0.")})
    changed = [name for name, value in changes.items() if getattr(photo, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(photo, name, changes[name])
    photo.save(update_fields=[*changed])
    audit.record(
        photo.meeting,
        "materials.photo_changed",
        actor,
        name=photo.display_name,
        caption=photo.caption,
        fields=changed,
    )
    return changed


def set_in_report(photo: DocumentationPhoto, in_report: bool, *, actor) -> bool:
    """Choose the photo for the activity report and the news article (or take it out);
    whether anything changed."""
    return bool(change_photo(photo, actor=actor, in_report=bool(in_report)))


@transaction.atomic
def delete_photo(photo: DocumentationPhoto, *, actor) -> None:
    meeting = photo.meeting
    audit.record(meeting, "materials.photo_deleted", actor, name=photo.display_name, caption=photo.caption)
    photo.delete()


def photos_of(meeting: Meeting) -> QuerySet[DocumentationPhoto]:
    """Every photo of the meeting, by day, then in the order chosen."""
    return (
        DocumentationPhoto.objects.filter(meeting=meeting)
        .select_related("day")
        .order_by("day__date", "order", "id")
    )


def report_photos(meeting: Meeting) -> QuerySet[DocumentationPhoto]:
    """The photos chosen for the activity report and the news article, by day and order (the
    reports read them with `photo.web.open()`, the copy for print and screen, and `caption`)."""
    return photos_of(meeting).filter(in_report=True)


def by_day(meeting: Meeting) -> list[tuple[MeetingDay, list[DocumentationPhoto]]]:
    """Each day of the meeting with its photos (days without photos included)."""
    photos = list(photos_of(meeting))
    days = list(MeetingDay.objects.filter(meeting=meeting).order_by("date"))
    for day in days:
        day.meeting = meeting
    return [(day, [p for p in photos if p.day_id == day.pk]) for day in days]
