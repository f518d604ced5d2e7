"""Adding, changing and deleting the speakers' materials (paparan) of a meeting.

A file is checked by its content (core.uploads: the type from its bytes, Office files opened as
the archives they are, SINERGI_MATERIAL_MAX_BYTES), stored under a random name on the private
storage, and shown under its sanitised name; a link must be http or https. Every change is one
transaction that writes the meeting's audit log. A deleted material's file leaves the storage
once the deletion has committed (materials.receivers).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.text import clean_name
from core.uploads import CheckedFile, check_document
from meetings.models import AgendaItem, Meeting

from ..models import Material, UploadLink

TITLE_MAX = Material._meta.get_field("title").max_length
URL_MAX = Material._meta.get_field("url").max_length
_url_validator = URLValidator(schemes=["http", "https"])


def max_bytes() -> int:
    return settings.SINERGI_MATERIAL_MAX_BYTES


def check_file(upload) -> CheckedFile:
    """The upload's real type and safe display name, or a ValidationError in the user's language."""
    return check_document(upload, max_bytes=max_bytes())


def clean_title(title: str) -> str:
    return clean_name(title or "")[:TITLE_MAX]


def clean_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("Give the link (https://…).")})
    if len(url) > URL_MAX:
        raise ValidationError({"url": _("The link is too long.")})
    try:
        _url_validator(url)
    except ValidationError as exc:
        raise ValidationError({"url": _("Give a web link that starts with http:// or https://.")}) from exc
    return url


def _check_item(meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.day.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an agenda item of this meeting.")})


def _check_visibility(visibility: str) -> None:
    if visibility not in Material.Visibility.values:
        raise ValidationError({"visibility": _("Choose who may see this material.")})


def _next_order(meeting: Meeting, agenda_item: AgendaItem | None) -> int:
    found = Material.objects.filter(meeting=meeting, agenda_item=agenda_item).aggregate(m=Max("order"))["m"]
    return 0 if found is None else found + 1


def _item_title(agenda_item: AgendaItem | None) -> str:
    return agenda_item.title if agenda_item is not None else ""


def _touch(link: UploadLink | None) -> None:
    if link is not None:
        UploadLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())


@transaction.atomic
def add_file(
    meeting: Meeting,
    *,
    upload,
    title: str = "",
    agenda_item: AgendaItem | None = None,
    visibility: str = Material.Visibility.STAFF,
    checked: CheckedFile | None = None,
    actor=None,
    upload_link: UploadLink | None = None,
) -> Material:
    """Store an uploaded file as a material. `checked` is the form's check of the same upload
    (the file is checked here when it is not given)."""
    _check_item(meeting, agenda_item)
    _check_visibility(visibility)
    if checked is None:
        try:
            checked = check_file(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    title = clean_title(title) or clean_title(checked.display_name.rsplit(".", 1)[0])
    material = Material(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        kind=Material.Kind.FILE,
        display_name=checked.display_name,
        mime=checked.mime,
        size=checked.size,
        visibility=visibility,
        order=_next_order(meeting, agenda_item),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        upload_link=upload_link,
    )
    # The stored name is random (materials.models.material_path): nothing of the uploaded name
    # reaches the storage.
    material.file.save(checked.display_name, upload, save=False)
    try:
        material.save()
        _touch(upload_link)
        _record(material, "materials.added", actor, upload_link)
    except BaseException:
        # The row is rolled back; its file must not stay behind.
        material.file.storage.delete(material.file.name)
        raise
    return material


@transaction.atomic
def add_link(
    meeting: Meeting,
    *,
    url: str,
    title: str = "",
    agenda_item: AgendaItem | None = None,
    visibility: str = Material.Visibility.STAFF,
    actor=None,
    upload_link: UploadLink | None = None,
) -> Material:
    _check_item(meeting, agenda_item)
    _check_visibility(visibility)
    url = clean_url(url)
    title = clean_title(title)
    if not title:
        raise ValidationError({"title": _("Give the link a title.")})
    material = Material.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        kind=Material.Kind.LINK,
        url=url,
        visibility=visibility,
        order=_next_order(meeting, agenda_item),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        upload_link=upload_link,
    )
    _touch(upload_link)
    _record(material, "materials.added", actor, upload_link)
    return material


@transaction.atomic
def update(
    material: Material,
    *,
    title: str,
    visibility: str,
    agenda_item: AgendaItem | None,
    order: int,
    actor,
) -> Material:
    """Change what the staff may change: title, who sees it, its agenda item and its place."""
    meeting = material.meeting
    _check_item(meeting, agenda_item)
    _check_visibility(visibility)
    title = clean_title(title)
    if not title:
        raise ValidationError({"title": _("Give the material a title.")})
    if order < 0 or order > 10_000:
        raise ValidationError({"order": _("Give a number from 0 to 10000.")})
    material = Material.objects.select_for_update().get(pk=material.pk)
    changed = {}
    for field, value in (("title", title), ("visibility", visibility), ("order", order)):
        if getattr(material, field) != value:
            changed[field] = value
            setattr(material, field, value)
    if material.agenda_item_id != (agenda_item.pk if agenda_item else None):
        changed["agenda_item"] = _item_title(agenda_item)
        material.agenda_item = agenda_item
    if not changed:
        return material
    material.save(update_fields=[f for f in ("title", "visibility", "order", "agenda_item") if f in changed])
    audit.record(
        meeting,
        "materials.changed",
        actor,
        title=material.title,
        fields=sorted(changed),
        visibility=material.visibility,
    )
    return material


@transaction.atomic
def delete(material: Material, *, actor=None, upload_link: UploadLink | None = None) -> None:
    """Delete the material; its file leaves the storage once this commits."""
    _record(material, "materials.deleted", actor, upload_link)
    material.delete()
    _touch(upload_link)


def _record(material: Material, action: str, actor, upload_link: UploadLink | None) -> None:
    # The speaker's name stays out of the log (purged with the links, materials.receivers): the
    # entry says only that it came through an upload link.
    audit.record(
        material.meeting,
        action,
        actor,
        title=material.title,
        kind=material.kind,
        item=_item_title(material.agenda_item),
        visibility=material.visibility,
        by_speaker=upload_link is not None,
    )
