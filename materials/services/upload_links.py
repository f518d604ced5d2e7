"""The speakers' private upload links: made by the meeting's staff for an agenda item (the
speaker's name and email taken from the item's speaker when there is one), optionally emailed to
the speaker, revoked at any time, and cleared of personal data when the meeting is purged.

A link is like a focal point's: an HMAC token of its id and version (core.tokens); revoking
raises the version, so every copy of the old link stops working.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import audit
from core.text import clean_name
from core.tokens import check_token
from directory.models import Person
from meetings.models import AgendaItem, AgendaRole, Meeting

from ..models import UploadLink

NAME_MAX = UploadLink._meta.get_field("name").max_length


def link_for_token(pk: int, token: str) -> UploadLink | None:
    """The active link a URL opens, or None for a wrong, tampered or revoked one."""
    link = (
        UploadLink.objects.select_related("meeting", "agenda_item__day", "person")
        .filter(pk=pk, revoked_at__isnull=True)
        .first()
    )
    if link and check_token("upload_link", link.pk, link.version, token):
        return link
    return None


def speaker_of(agenda_item: AgendaItem | None) -> Person | None:
    """The agenda item's first speaker (narasumber), if it has one."""
    if agenda_item is None:
        return None
    role = (
        AgendaRole.objects.filter(agenda_item=agenda_item, role=AgendaRole.Role.SPEAKER)
        .select_related("person")
        .order_by("order", "id")
        .first()
    )
    return role.person if role else None


@transaction.atomic
def create(
    meeting: Meeting,
    *,
    agenda_item: AgendaItem | None,
    actor,
    name: str = "",
    email: str = "",
    send: bool = False,
) -> UploadLink:
    """A new link for the speaker of `agenda_item` (or of the meeting as a whole). A name or
    email left empty is the item's speaker's; `send` emails the link to that address."""
    if agenda_item is not None and agenda_item.day.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an agenda item of this meeting.")})
    person = speaker_of(agenda_item)
    name = clean_name(name or "")[:NAME_MAX] or (person.full_name if person else "")
    email = (email or "").strip().lower() or (person.email.lower() if person and person.email else "")
    errors = {}
    if not name:
        errors["name"] = _("Give the speaker's name: this agenda item has no speaker yet.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Give a valid email address.")
    if send and not email:
        errors["email"] = _("Give the speaker's email to send them the link.")
    if errors:
        raise ValidationError(errors)
    link = UploadLink.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        person=person,
        name=name,
        email=email,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        meeting,
        "materials.upload_link_created",
        actor,
        item=agenda_item.title if agenda_item else "",
        emailed=bool(send),
    )
    if send:
        from ..notifications import notify_upload_link

        notify_upload_link(link, language=(get_language() or "id")[:2])
    return link


@transaction.atomic
def revoke(link: UploadLink, *, actor) -> UploadLink:
    """Stop the link working (every copy of it); a second call changes nothing."""
    link = UploadLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        return link
    link.revoked_at = timezone.now()
    link.version += 1
    link.save(update_fields=["revoked_at", "version"])
    audit.record(
        link.meeting,
        "materials.upload_link_revoked",
        actor,
        item=link.agenda_item.title if link.agenda_item_id else "",
    )
    return link


def purge(meeting: Meeting) -> int:
    """Remove the speakers' names, emails and directory links from the meeting's upload links and
    revoke them (participants.signals.meeting_purged); returns how many rows changed. A second
    run finds nothing to change."""
    links = UploadLink.objects.filter(meeting=meeting)
    revoked = links.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), version=F("version") + 1
    )
    return revoked + links.filter(~Q(name="") | ~Q(email="") | Q(person__isnull=False)).update(
        name="", email="", person=None
    )
