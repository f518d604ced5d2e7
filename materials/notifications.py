"""Emails of the materials app: a speaker's upload link (queued by the service, written later)."""

from __future__ import annotations

from core.mail import Message, queue_email

from .models import UploadLink


def notify_upload_link(link: UploadLink, *, language: str = "id") -> None:
    queue_email(
        key=f"upload-link:{link.pk}:{link.version}",
        # The meeting's group: the purge of its personal data takes this email too.
        group=f"meeting:{link.meeting_id}",
        to=[link.email],
        builder="materials.notifications.upload_link_message",
        params={"link_id": link.pk, "version": link.version},
        language=language if language in ("id", "en") else "id",
    )


def upload_link_message(link_id: int, version: int) -> Message | None:
    link = (
        UploadLink.objects.select_related("meeting", "agenda_item__day")
        .filter(pk=link_id, version=version, revoked_at__isnull=True)
        .first()
    )
    if link is None or not link.email:
        return None
    meeting = link.meeting
    return Message(
        "materials/email/upload_link",
        {
            "link": link,
            "meeting": meeting,
            "item": link.agenda_item,
            "upload_url": link.urls.absolute.page,
        },
    )
