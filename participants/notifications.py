"""Emails to participants and focal points, composed in the recipient's language and queued."""

from __future__ import annotations

import io
import time

import qrcode
import qrcode.image.pure
from django.conf import settings

from accounts.mail import Attachment, queue_email

from . import links
from .models import AgencyInvitation, Registration

QR_CID = "registration-qr"


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.pure.PyPNGImage, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _key(kind: str, pk: int) -> str:
    # One email per event: the services call each notification once per state change.
    return f"{kind}:{pk}:{time.time_ns()}"


def _registration_context(registration: Registration, kind: str) -> dict:
    meeting = registration.meeting
    org_tz = registration.organization.timezone if registration.organization_id else None
    return {
        "kind": kind,
        "registration": registration,
        "meeting": meeting,
        "days": list(meeting.days.order_by("date")),
        "other_tz": org_tz if org_tz and org_tz != meeting.timezone else None,
        "online_room": getattr(meeting, "online_room", None) if meeting.has_online else None,
        "manage_url": links.registration_url(registration),
        "public_url": settings.SINERGI_BASE_URL + meeting.urls.public,
        "qr_cid": QR_CID,
    }


def _send_registration_email(registration: Registration, kind: str) -> None:
    attachments = []
    if registration.state == Registration.State.CONFIRMED and kind in {
        "confirmed",
        "promoted",
        "existing",
        "mode",
    }:
        attachments.append(Attachment("registration-qr.png", "image/png", qr_png(registration.code), QR_CID))
    context = _registration_context(registration, kind)
    context["has_qr"] = bool(attachments)
    queue_email(
        key=_key(f"registration-{kind}", registration.pk),
        to=[registration.email],
        template="participants/email/registration",
        context=context,
        language=registration.language,
        attachments=attachments,
    )


def state_changed(registration: Registration, *, changed_mode: bool = False) -> None:
    """The email that tells a person where their registration stands now."""
    kind = "mode" if changed_mode else registration.state
    _send_registration_email(registration, kind)


def promoted(registration: Registration) -> None:
    _send_registration_email(registration, "promoted")


def already_registered(registration: Registration) -> None:
    _send_registration_email(registration, "existing")


def new_link(registration: Registration) -> None:
    _send_registration_email(registration, "new_link")


def invitation(invitation: AgencyInvitation, *, reminder: bool = False) -> None:
    meeting = invitation.meeting
    queue_email(
        key=_key("invitation-reminder" if reminder else "invitation", invitation.pk),
        to=[invitation.focal_point_email],
        template="participants/email/invitation",
        context={
            "invitation": invitation,
            "meeting": meeting,
            "days": list(meeting.days.order_by("date")),
            "respond_url": links.invitation_url(invitation),
            "public_url": settings.SINERGI_BASE_URL + meeting.urls.public,
            "reminder": reminder,
        },
        language=invitation.language,
    )
