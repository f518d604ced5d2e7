"""Emails to participants and focal points: queued by the services, written by the task.

Each `queue_*` function is called by a service inside its transaction and stores only ids; the
matching builder runs in the worker, reads the current data and returns the message, in the
recipient's language. A builder returns None when its subject is gone (personal data purged).
"""

from __future__ import annotations

import io
import time

import qrcode
import qrcode.image.pure
from django.conf import settings

from accounts.mail import Attachment, Message, queue_email

from . import links
from .models import AgencyInvitation, Registration

QR_CID = "registration-qr"
# Kinds of registration email whose confirmed recipient gets the QR code of their code.
QR_KINDS = {"confirmed", "promoted", "existing", "mode"}


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.pure.PyPNGImage, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _key(kind: str, pk: int) -> str:
    # One email per event: the services call each notification once per state change. The
    # "<kind>:<pk>:" prefix is what `services.privacy` matches to delete a purged person's emails.
    return f"{kind}:{pk}:{time.time_ns()}"


# Registrations ---------------------------------------------------------------------------------


def _queue_registration_email(registration: Registration, kind: str) -> None:
    queue_email(
        key=_key(f"registration-{kind}", registration.pk),
        to=[registration.email],
        builder="participants.notifications.registration_message",
        params={"registration_id": registration.pk, "kind": kind},
        language=registration.language,
    )


def registration_message(registration_id: int, kind: str) -> Message | None:
    registration = (
        Registration.objects.select_related("meeting", "organization", "meeting__online_room")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not registration.full_name:
        return None
    meeting = registration.meeting
    org_tz = registration.organization.timezone if registration.organization_id else None
    attachments = []
    if registration.state == Registration.State.CONFIRMED and kind in QR_KINDS:
        attachments.append(Attachment("registration-qr.png", "image/png", qr_png(registration.code), QR_CID))
    context = {
        "kind": kind,
        "registration": registration,
        "meeting": meeting,
        "days": list(meeting.days.order_by("date")),
        "other_tz": org_tz if org_tz and org_tz != meeting.timezone else None,
        "online_room": getattr(meeting, "online_room", None) if meeting.has_online else None,
        "manage_url": links.registration_url(registration),
        "public_url": settings.SINERGI_BASE_URL + meeting.urls.public,
        "qr_cid": QR_CID,
        "has_qr": bool(attachments),
    }
    return Message("participants/email/registration", context, attachments)


def state_changed(registration: Registration, *, changed_mode: bool = False) -> None:
    """The email that tells a person where their registration stands now."""
    _queue_registration_email(registration, "mode" if changed_mode else registration.state)


def promoted(registration: Registration) -> None:
    _queue_registration_email(registration, "promoted")


def already_registered(registration: Registration) -> None:
    _queue_registration_email(registration, "existing")


def new_link(registration: Registration) -> None:
    _queue_registration_email(registration, "new_link")


# Agency invitations ----------------------------------------------------------------------------


def invitation(invitation: AgencyInvitation, *, reminder: bool = False) -> None:
    queue_email(
        key=_key("invitation-reminder" if reminder else "invitation", invitation.pk),
        to=[invitation.focal_point_email],
        builder="participants.notifications.invitation_message",
        params={"invitation_id": invitation.pk, "reminder": reminder},
        language=invitation.language,
    )


def invitation_message(invitation_id: int, reminder: bool) -> Message | None:
    invitation = (
        AgencyInvitation.objects.select_related("meeting", "organization").filter(pk=invitation_id).first()
    )
    if (
        invitation is None
        or not invitation.focal_point_email
        or invitation.state == AgencyInvitation.State.REVOKED
    ):
        return None
    meeting = invitation.meeting
    return Message(
        "participants/email/invitation",
        {
            "invitation": invitation,
            "meeting": meeting,
            "days": list(meeting.days.order_by("date")),
            "respond_url": links.invitation_url(invitation),
            "public_url": settings.SINERGI_BASE_URL + meeting.urls.public,
            "reminder": reminder,
        },
    )
